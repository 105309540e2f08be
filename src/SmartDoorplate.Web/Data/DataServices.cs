using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Accounts;

namespace SmartDoorplate.Data;

// Who the process connects to PostgreSQL as. The web app is the App role (sd_app: rows only, and
// audit_events append-only); migrations and bulk loads need the Owner, who may change the schema.
public enum DatabasePrincipal { App, Owner }

// How many connections the web app opens at most; each overrides the connection string's Maximum Pool
// Size. The work is CPU-bound on both sides: more connections than cores only take turns inside
// PostgreSQL, and every extra backend is one more cold cache, as the pool hands its idle connections
// out in turn. Requests beyond a cap wait for a connection (and answer 503 after the connection
// string's Timeout, Hosting/DatabaseBusy). Measured on this 2-core machine with 32 clients:
// - Connections (default four per core): registrations 508–540/s with 8, 528/s with 16, 447/s with 4,
//   391/s with 64 (scripts/bench/registrations.sh).
// - SpatialReadConnections, the map's reads (default two per core): city tiles 172/s with 4, 169/s
//   with 8, 98–169/s with 64; and a tile asked for alone afterwards paid 1.1 ms over PostgreSQL's own
//   time instead of 3.3 ms (scripts/bench/tiles.sh).
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public int? Connections { get; set; }
    public int? SpatialReadConnections { get; set; }

    public int ConnectionsOrDefault => Connections ?? 4 * Environment.ProcessorCount;
    public int SpatialReadConnectionsOrDefault => SpatialReadConnections ?? 2 * Environment.ProcessorCount;
}

public static class DataServices
{
    public const string ConnectionStringName = "Default";
    public const string OwnerConnectionStringName = "Owner";

    // The keyed data source for the map's spatial reads (tiles, bbox GeoJSON, area query), with a pool
    // of its own (DatabaseOptions.SpatialReadConnections). Prepared like the rest: a tile's statement
    // is parsed once per connection, not on every tile (0.1–0.4 ms of a tile's 1–5 ms). But always
    // planned with its values (plan_cache_mode, see SpatialReadsOptions): after five runs a prepared
    // statement would switch to a generic plan, which cannot see the tile or the shape; at city scale a
    // z17 cases tile went from 3 ms to 50 ms.
    public const string SpatialReads = "spatial-reads";

    // One NpgsqlDataSource (with NetTopologySuite) serves EF Core and the COPY/SQL of the app; a second
    // one, keyed SpatialReads, the map's spatial reads. Resolved lazily so that tests can override
    // the connection string before first use.
    public static IServiceCollection AddSmartDoorplateData(this IServiceCollection services, DatabasePrincipal principal = DatabasePrincipal.App)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(o => o.Connections is null or >= 1, $"{DatabaseOptions.Section}:Connections must be at least 1.")
            .Validate(o => o.SpatialReadConnections is null or >= 1, $"{DatabaseOptions.Section}:SpatialReadConnections must be at least 1.")
            .ValidateOnStart();
        // The app runs the same few statements over and over; prepared, PostgreSQL parses and plans
        // each once per connection instead of on every request (on a registration that was ~40% of
        // the database's CPU). Not for the owner's verbs: migrations and bulk loads change the
        // schema under their own statements. A connection string that sets Max Auto Prepare wins.
        services.AddSingleton(sp => Build(sp, principal, DefaultOptions, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionsOrDefault));
        services.AddKeyedSingleton(SpatialReads, (sp, _) => Build(sp, principal, SpatialReadsOptions,
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.SpatialReadConnectionsOrDefault));
        services.AddHttpContextAccessor();
        services.AddScoped(sp => CallerScope.From(sp.GetRequiredService<IHttpContextAccessor>().HttpContext));
        // Pooled contexts: EF resets a context's state when it comes back instead of building a new one
        // (its services, change tracker and options) for every request. Alternating runs of
        // registrations.sh, two instances side by side: 12–18 % less of the app's CPU per registration.
        // Handlers still take SmartDoorplateDb: this scoped registration rents one and gives it the
        // caller's scope, the pattern EF documents for per-request state ("Managing state in pooled
        // contexts"); the DI scope's end returns it.
        services.AddPooledDbContextFactory<SmartDoorplateDb>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention());
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<SmartDoorplateDb>>().CreateDbContext();
            db.ActFor(sp.GetRequiredService<CallerScope>());
            return db;
        });
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

    private static NpgsqlDataSource Build(IServiceProvider services, DatabasePrincipal principal, string options, int maxConnections)
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString(services.GetRequiredService<IConfiguration>(), principal));
        var settings = builder.ConnectionStringBuilder;
        if (principal == DatabasePrincipal.App)
        {
            settings.MaxPoolSize = maxConnections;
            settings.MinPoolSize = Math.Min(settings.MinPoolSize, maxConnections);
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
