using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Npgsql;

namespace SmartDoorplate.Health;

public static class HealthApi
{
    private const string ReadinessTag = "ready";

    public static IServiceCollection AddSmartDoorplateHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<PostGisHealthCheck>("postgis", tags: [ReadinessTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Readiness: the database answers and PostGIS is installed.
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessTag),
            ResponseWriter = WriteReport,
        });
        // Liveness never touches the database; it is also the baseline of the speed benchmarks.
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteReport,
        });
        return app;
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object?> { ["status"] = report.Status.ToString() };
        foreach (var (name, entry) in report.Entries)
        {
            foreach (var (key, value) in entry.Data) body[key] = value;
            body[name + "Status"] = entry.Status.ToString();
        }
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

public sealed class PostGisHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var (database, postGis) = await HealthSql.VersionsAsync(dataSource, cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["database"] = database,
                ["postgis"] = postGis,
            };
            return HealthCheckResult.Healthy("PostgreSQL and PostGIS answer.", data);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer or lacks PostGIS.", ex);
        }
    }
}
