using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Policing.Statistics;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Policing;

// The statistics statement stays SQL for its plan: a station's figures must read that station's
// registrations by building through an index, and persons by key — never a scan
// of the city's registrations or persons. (What it returns is pinned by StatisticsTests.)
public sealed class StatisticsSqlTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AStationsFiguresReadItsRegistrationsByBuildingAndPersonsByKeyWithoutScanningEitherTable()
    {
        var plan = await PlanAsync(StatisticsSql.FiguresCommand(new CallerScope(ScopeKind.Station, 1, StationId: 1), null, 1, null,
            new DateOnly(2026, 6, 15), DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddMonths(-12), DateTimeOffset.UtcNow, 8));

        // The covering indexes of the StatisticsIndexes migration, or the plain ones: by building, by key.
        Assert.Matches("\"Index Name\": \"ix_residence_registrations_building_id_(statistics|status)\"", plan);
        Assert.Matches("\"Index Name\": \"(ix_persons_id_statistics|pk_persons)\"", plan);
        Assert.DoesNotMatch("\"Seq Scan\"[^{}]*\"Relation Name\": \"(residence_registrations|persons)\"", plan);
    }

    // EXPLAIN (FORMAT JSON) with sequential scans priced out: an index in the plan is one that can serve it.
    private async Task<string> PlanAsync(NpgsqlCommand command)
    {
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain (format json) " + command.CommandText, connection);
        foreach (NpgsqlParameter parameter in command.Parameters) explain.Parameters.Add(parameter.Clone());
        await command.DisposeAsync();
        return (string)(await explain.ExecuteScalarAsync())!;
    }
}
