using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.Statistics;

// GET /api/statistics?grid=CODE | ?station=CODE (default: the caller's whole jurisdiction) and the
// same figures as CSV. Police and admins; another station's grid or station is not found.
public static class StatisticsApi
{
    public static IServiceCollection AddStatistics(this IServiceCollection services)
    {
        services.AddOptions<StatisticsOptions>().BindConfiguration(StatisticsOptions.Section);
        return services;
    }

    public static IEndpointRouteBuilder MapStatistics(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Statistics").RequireAuthorization(Policies.PoliceOrAdmin).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/statistics", GetAsync);
        group.MapGet("/statistics.csv", ExportAsync).Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return app;
    }

    private static async Task<Results<Ok<StatisticsDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string? grid, string? station, HttpRequest request, SmartDoorplateDb db, TimeProvider clock,
        IOptions<RegistrationOptions> registrationOptions, IOptions<StatisticsOptions> options, CancellationToken ct)
    {
        var language = Languages.Of(request);
        var (outcome, area) = await StatisticsArea.ResolveAsync(db, grid, station, language, ct);
        if (outcome == StatisticsArea.Outcome.Invalid) return Invalid();
        if (area is null) return NotFound();
        return TypedResults.Ok(await ResidentStatistics.ComputeAsync(db, area, clock, registrationOptions.Value, options.Value, language, ct));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        string? grid, string? station, HttpRequest request, SmartDoorplateDb db, TimeProvider clock, AuditTrail audit,
        IOptions<RegistrationOptions> registrationOptions, IOptions<StatisticsOptions> options, CancellationToken ct)
    {
        var language = Languages.Of(request);
        var (outcome, area) = await StatisticsArea.ResolveAsync(db, grid, station, language, ct);
        if (outcome == StatisticsArea.Outcome.Invalid) return Invalid();
        if (area is null) return NotFound();
        var stats = await ResidentStatistics.ComputeAsync(db, area, clock, registrationOptions.Value, options.Value, language, ct);
        var suppressBelow = options.Value.CsvSuppressBelow;
        var bytes = StatisticsCsv.Write(stats, suppressBelow, language);
        // No person is in the file, so no person is the target; what was exported and how is kept.
        await audit.AppendAsync(new AuditEntry(AuditActions.StatisticsExport, Details: new
        {
            area = stats.Area.Kind,
            code = stats.Area.Code,
            asOf = stats.AsOf,
            suppressBelow,
            residents = stats.Totals.Residents,
        }), ct);
        var name = $"statistics-{stats.Area.Code ?? stats.Area.Kind}-{stats.AsOf.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.csv";
        return TypedResults.File(bytes, Occupancy.TenantExport.CsvContentType, name);
    }

    private static ValidationProblem Invalid() => ValidationProblems.For(
        new Dictionary<string, string[]> { ["grid"] = [StatisticsText.GridOrStation.ToString()], ["station"] = [StatisticsText.GridOrStation.ToString()] },
        title: StatisticsText.AreaTitle);

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: StatisticsText.NotFound.ToString(), statusCode: StatusCodes.Status404NotFound);
}
