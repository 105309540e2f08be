using Npgsql;

namespace SmartDoorplate.Health;

// The readiness check's statement: the server's and PostGIS's versions, which EF has no words for.
// HealthTests pin its answer.
public static class HealthSql
{
    public const string Versions = "select current_setting('server_version'), postgis_lib_version()";

    public static async Task<(string Database, string PostGis)> VersionsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(Versions);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetString(0), reader.GetString(1));
    }
}
