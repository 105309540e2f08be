using Npgsql;

namespace SmartDoorplate.Web.Tests.Infrastructure;

public static class QueryPlans
{
    // The plan PostgreSQL would run for the app's own command, its parameters bound, with sequential
    // scans priced out: a plan that still reads a table whole means no index can serve the query.
    public static async Task<List<string>> IndexedPlanAsync(NpgsqlDataSource dataSource, NpgsqlCommand command)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain " + command.CommandText, connection);
        foreach (NpgsqlParameter parameter in command.Parameters) explain.Parameters.Add(parameter.Clone());

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        return plan;
    }
}
