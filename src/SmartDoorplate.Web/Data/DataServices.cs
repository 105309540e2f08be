using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Accounts;

namespace SmartDoorplate.Data;

// Who the process connects to PostgreSQL as. The web app is the App role (sd_app: rows only, and
// audit_events append-only); migrations and bulk loads need the Owner, who may change the schema.
public enum DatabasePrincipal { App, Owner }

public static class DataServices
{
    public const string ConnectionStringName = "Default";
    public const string OwnerConnectionStringName = "Owner";

    // The keyed data source for the map's spatial reads (tiles, bbox GeoJSON, area query). Prepared
    // like the rest (a tile's statement is parsed once per connection, not on every tile: a third of
    // the time of a small tile), but always planned with its values (plan_cache_mode, see
    // SpatialReadsOptions): after five runs a prepared statement would switch to a generic plan, which
    // cannot see the tile or the shape; at city scale a z17 cases tile went from 3 ms to 50 ms.
    public const string SpatialReads = "spatial-reads";

    // One NpgsqlDataSource (with NetTopologySuite) serves EF Core and the COPY/SQL of the app; a second
    // one, keyed SpatialReads, the map's spatial reads. Resolved lazily so that tests can override
    // the connection string before first use.
    public static IServiceCollection AddSmartDoorplateData(this IServiceCollection services, DatabasePrincipal principal = DatabasePrincipal.App)
    {
        // The app runs the same few statements over and over; prepared, PostgreSQL parses and plans
        // each once per connection instead of on every request (on a registration that was ~40% of
        // the database's CPU). Not for the owner's verbs: migrations and bulk loads change the
        // schema under their own statements. A connection string that sets it wins.
        services.AddSingleton(sp => Build(sp, principal));
        services.AddKeyedSingleton(SpatialReads, (sp, _) => Build(sp, principal, SpatialReadsOptions));
        services.AddHttpContextAccessor();
        services.AddScoped(sp => CallerScope.From(sp.GetRequiredService<IHttpContextAccessor>().HttpContext));
        services.AddDbContext<SmartDoorplateDb>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention());
        return services;
    }

    // The session settings of each data source, unless the connection string sets Options (the
    // benchmarks run psql with the same: scripts/bench/lib.sh). No JIT: PostGIS prices its functions
    // high, so nearly every tile passed jit_above_cost and compiled some 70 functions (about 100 ms)
    // for a query of 5–400 ms. No parallel plans for the map's reads: on two cores a Gather of footprints
    // made a dense z14 buildings tile 70 ms instead of 45, and concurrent tiles have no core to spare.
    // And custom plans only, for the prepared spatial reads (above).
    public const string DefaultOptions = "-c jit=off";
    public const string SpatialReadsOptions = "-c jit=off -c max_parallel_workers_per_gather=0 -c plan_cache_mode=force_custom_plan";

    private static NpgsqlDataSource Build(IServiceProvider services, DatabasePrincipal principal, string options = DefaultOptions)
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString(services.GetRequiredService<IConfiguration>(), principal));
        var settings = builder.ConnectionStringBuilder;
        if (principal == DatabasePrincipal.App)
        {
            if (settings.MaxAutoPrepare == 0) settings.MaxAutoPrepare = 200;
            // A pooled connection goes back without a reset (RESET ALL, DISCARD …: 0.2 ms of the
            // server's time on every open). The app leaves no session state behind a transaction:
            // its temp tables are ON COMMIT DROP, set_config is local, advisory locks are xact locks,
            // and an open transaction is still rolled back when a connection returns to the pool.
            settings.NoResetOnClose = true;
        }
        if (string.IsNullOrEmpty(settings.Options)) settings.Options = options;
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    // ConnectionStrings:Default is the app role; ConnectionStrings:Owner the schema owner, which
    // falls back to Default where one login does both (a developer's own database).
    public static string ConnectionString(IConfiguration configuration, DatabasePrincipal principal) =>
        (principal == DatabasePrincipal.Owner ? configuration.GetConnectionString(OwnerConnectionStringName) : null)
        ?? configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException(
            $"ConnectionStrings:{ConnectionStringName} is not set (scripts/run.sh sets it for the local cluster).");
}
