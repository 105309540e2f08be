using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Accounts;

namespace SmartDoorplate.Data;

public static class DataServices
{
    public const string ConnectionStringName = "Default";

    // One NpgsqlDataSource (with NetTopologySuite) serves both EF Core and the raw COPY/MVT SQL.
    // Resolved lazily so that tests can override the connection string before first use.
    public static IServiceCollection AddSmartDoorplateData(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var connectionString = configuration.GetConnectionString(ConnectionStringName)
                ?? throw new InvalidOperationException(
                    $"ConnectionStrings:{ConnectionStringName} is not set (scripts/run.sh sets it for the local cluster).");
            var builder = new NpgsqlDataSourceBuilder(connectionString);
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
}
