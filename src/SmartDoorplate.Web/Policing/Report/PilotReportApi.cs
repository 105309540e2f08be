using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates.Printing;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Report;

// ?grid=CODE&station=CODE&plate=yyyy-MM-dd&months=N, shared by the page and its exports.
public sealed record PilotReportQuery(string? Grid, string? Station, DateOnly PlateDate, int Months)
{
    public const int MaxMonths = 36;

    public static readonly Bilingual PlateInvalid = new("安装日期格式须为 yyyy-MM-dd", "plate must be a date yyyy-MM-dd");
    public static readonly Bilingual MonthsInvalid = new("对比月数须为 1–36", "months must be 1–36");

    public static PilotReportQuery? Parse(HttpRequest request, PilotReportOptions options, CallerScope scope, Dictionary<string, string[]> errors)
    {
        var query = request.Query;
        var plate = options.PlateDate;
        if (Value(query["plate"]) is { } plateText
            && !DateOnly.TryParseExact(plateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out plate))
        {
            errors["plate"] = [PlateInvalid.ToString()];
        }
        var months = options.Months;
        if (Value(query["months"]) is { } monthsText
            && (!int.TryParse(monthsText, NumberStyles.None, CultureInfo.InvariantCulture, out months) || months is < 1 or > MaxMonths))
        {
            errors["months"] = [MonthsInvalid.ToString()];
        }
        var grid = Value(query["grid"]);
        var station = Value(query["station"]);
        // Admins see every station: without a choice they get the pilot's.
        if (scope.SeesEverything && grid is null && station is null) station = options.Station;
        return errors.Count > 0 ? null : new PilotReportQuery(grid, station, plate, months);
    }

    private static string? Value(Microsoft.Extensions.Primitives.StringValues values) =>
        values.ToString() is { Length: > 0 } text ? text.Trim() : null;

    // The same report as a link: the page's images and downloads carry the officer's choices.
    public string QueryString(bool explicitDefaults, PilotReportOptions options)
    {
        var parts = new List<string>();
        if (Grid is not null) parts.Add("grid=" + Uri.EscapeDataString(Grid));
        if (Station is not null && Station != options.Station) parts.Add("station=" + Uri.EscapeDataString(Station));
        if (explicitDefaults || PlateDate != options.PlateDate) parts.Add("plate=" + PlateDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (explicitDefaults || Months != options.Months) parts.Add("months=" + Months.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    public Task<PilotReport?> BuildAsync(NpgsqlDataSource dataSource, CallerScope scope, TimeProvider clock, CancellationToken ct) =>
        PilotReportBuilder.BuildAsync(dataSource, scope, Grid, Station, PlateDate, Months, clock.GetUtcNow(), ct);
}

// The report's downloads (PDF, PNG; audited) and the two pictures of its page (SVG).
public static class PilotReportApi
{
    public static IServiceCollection AddPilotReport(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PilotReportOptions>(configuration.GetSection(PilotReportOptions.Section));
        return services;
    }

    public static IEndpointRouteBuilder MapPilotReport(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/police").WithTags("Report").RequireAuthorization(Policies.PoliceOrAdmin).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/report.pdf", (HttpContext http, NpgsqlDataSource dataSource, SmartDoorplateDb db, AuditTrail audit, PlateFonts fonts,
                IOptions<PilotReportOptions> options, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(http, dataSource, db, audit, fonts, options.Value, clock, "pdf", ct))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        group.MapGet("/report.png", (HttpContext http, NpgsqlDataSource dataSource, SmartDoorplateDb db, AuditTrail audit, PlateFonts fonts,
                IOptions<PilotReportOptions> options, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(http, dataSource, db, audit, fonts, options.Value, clock, "png", ct))
            .Produces(StatusCodes.Status200OK, contentType: "image/png");
        group.MapGet("/report/chart.svg", (HttpContext http, NpgsqlDataSource dataSource, SmartDoorplateDb db, PlateFonts fonts,
                IOptions<PilotReportOptions> options, TimeProvider clock, CancellationToken ct) =>
            PictureAsync(http, dataSource, db, fonts, options.Value, clock, map: false, ct))
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml");
        group.MapGet("/report/map.svg", (HttpContext http, NpgsqlDataSource dataSource, SmartDoorplateDb db, PlateFonts fonts,
                IOptions<PilotReportOptions> options, TimeProvider clock, CancellationToken ct) =>
            PictureAsync(http, dataSource, db, fonts, options.Value, clock, map: true, ct))
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml");
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        HttpContext http, NpgsqlDataSource dataSource, SmartDoorplateDb db, AuditTrail audit, PlateFonts fonts,
        PilotReportOptions options, TimeProvider clock, string format, CancellationToken ct)
    {
        var (report, refused) = await BuildAsync(http, dataSource, db, options, clock, ct);
        if (report is null) return refused!;
        byte[] bytes;
        if (format == "pdf")
        {
            using var buffer = new MemoryStream();
            ReportDrawing.WritePdf(buffer, report, fonts);
            bytes = buffer.ToArray();
        }
        else
        {
            bytes = ReportDrawing.Png(report, fonts);
        }

        await audit.AppendAsync(new AuditEntry(AuditActions.ReportExport, AuditTargets.Report, "pilot", null, new
        {
            format,
            area = report.AreaName,
            grid = report.Grid,
            station = report.Station,
            plate = report.PlateDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            months = report.Months,
            before = report.Before,
            after = report.After,
        }), ct);
        var fileName = $"pilot-report-{report.PlateDate:yyyyMMdd}.{format}";
        return TypedResults.File(bytes, format == "pdf" ? "application/pdf" : "image/png", fileName);
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> PictureAsync(
        HttpContext http, NpgsqlDataSource dataSource, SmartDoorplateDb db, PlateFonts fonts,
        PilotReportOptions options, TimeProvider clock, bool map, CancellationToken ct)
    {
        var (report, refused) = await BuildAsync(http, dataSource, db, options, clock, ct);
        if (report is null) return refused!;
        http.Response.Headers.CacheControl = "private, max-age=60";
        return TypedResults.File(ReportDrawing.Svg(report, fonts, map), "image/svg+xml");
    }

    private static async Task<(PilotReport? Report, Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>? Refused)> BuildAsync(
        HttpContext http, NpgsqlDataSource dataSource, SmartDoorplateDb db, PilotReportOptions options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var query = PilotReportQuery.Parse(http.Request, options, db.Scope, errors);
        if (query is null) return (null, ValidationProblems.For(errors));
        var report = await query.BuildAsync(dataSource, db.Scope, clock, ct);
        return report is null
            ? (null, TypedResults.Problem(title: ReportText.NotFound.ToString(), statusCode: StatusCodes.Status404NotFound))
            : (report, null);
    }
}

public static class ReportText
{
    public static readonly Bilingual NotFound = new("所选范围不在您的辖区内或没有网格", "The chosen area is not in your jurisdiction or has no grids");
}
