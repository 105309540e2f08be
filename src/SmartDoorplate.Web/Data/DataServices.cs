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

    // One NpgsqlDataSource (with NetTopologySuite) serves both EF Core and the raw COPY/MVT SQL.
    // Resolved lazily so that tests can override the connection string before first use.
    public static IServiceCollection AddSmartDoorplateData(this IServiceCollection services, DatabasePrincipal principal = DatabasePrincipal.App)
    {
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(ConnectionString(sp.GetRequiredService<IConfiguration>(), principal));
            // The app runs the same few statements over and over; prepared, PostgreSQL parses and plans
            // each once per connection instead of on every request (on a registration that was ~40% of
            // the database's CPU). Not for the owner's verbs: migrations and bulk loads change the
            // schema under their own statements. A connection string that sets it wins.
            if (principal == DatabasePrincipal.App && builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 200;
            }
            builder.UseNetTopologySuite();
            return builder.Build();
        });
        services.AddHttpContextAccessor();
        services.AddScoped(sp => CallerScope.From(sp.GetRequiredService<IHttpContextAccessor>().HttpContext));
        services.AddDbContext<SmartDoorplateDb>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention());
        return services;
    }

    // ConnectionStrings:Default is the app role; ConnectionStrings:Owner the schema owner, which
    // falls back to Default where one login does both (a developer's own database).
    public static string ConnectionString(IConfiguration configuration, DatabasePrincipal principal) =>
        (principal == DatabasePrincipal.Owner ? configuration.GetConnectionString(OwnerConnectionStringName) : null)
        ?? configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException(
            $"ConnectionStrings:{ConnectionStringName} is not set (scripts/run.sh sets it for the local cluster).");
}
