using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

// The chain's reads stay SQL for their order and their connection; what matters about them is that
// each is served by its index however long the trail grows. (What they return is pinned by
// AuditChainTests and AuditCheckpointTests, which seal, verify and tamper.)
public sealed class AuditSqlTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task TheSealerFindsRowsAwaitingTheirSealThroughThePartialIndexOfUnsealedRows()
    {
        var plan = await PlanAsync(AuditSql.Pending, new NpgsqlParameter<int> { TypedValue = 5000 });

        Assert.Contains("\"Index Name\": \"ix_audit_events_unsealed\"", plan);
    }

    [Fact]
    public async Task TheChainsHeadIsReadBackwardsAlongTheChainPositionIndex()
    {
        var plan = await PlanAsync(AuditSql.Head);

        Assert.Contains("\"Scan Direction\": \"Backward\"", plan);
        Assert.Contains("\"Index Name\": \"ix_audit_events_chain_seq\"", plan);
    }

    [Fact]
    public async Task TheVerifierWalksTheChainInOrderAlongTheChainPositionIndexWithoutSorting()
    {
        var plan = await PlanAsync(AuditSql.Chain);

        Assert.Contains("\"Index Name\": \"ix_audit_events_chain_seq\"", plan);
        Assert.DoesNotContain("\"Node Type\": \"Sort\"", plan);
    }

    // EXPLAIN (FORMAT JSON) with sequential scans priced out: an index in the plan is one that can serve it.
    private async Task<string> PlanAsync(string sql, params NpgsqlParameter[] parameters)
    {
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain (format json) " + sql, connection);
        explain.Parameters.AddRange(parameters);
        return (string)(await explain.ExecuteScalarAsync())!;
    }
}
