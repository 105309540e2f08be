using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Policing.Hotspots;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Policing.Hotspots;

// The statements of HotspotSql, run on the pilot: the study area is the caller's jurisdiction, and
// every statement over cases, buildings and stored cells can be served by its index (EXPLAINed with
// sequential scans priced out: a plan that still reads the table whole means no index can serve it).
public sealed class HotspotSqlTests(PilotAppFactory app) : IClassFixture<PilotAppFactory>
{
    private NpgsqlDataSource DataSource => app.Services.GetRequiredService<NpgsqlDataSource>();

    private async Task<CallerScope> GaichaOfficerAsync()
    {
        var stationId = await app.OwnerScalarAsync<long>("select station_id from users where user_name = 'police.gaicha'");
        var userId = await app.OwnerScalarAsync<long>("select id from users where user_name = 'police.gaicha'");
        return new CallerScope(ScopeKind.Station, userId, StationId: stationId);
    }

    private async Task<HotspotAnalysis.StudyArea?> StudyAreaAsync(CallerScope scope, string? grid = null, string? station = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await HotspotAnalysis.StudyAreaAsync(connection, scope, grid, station, CancellationToken.None);
    }

    [Fact]
    public async Task AStationOfficersStudyAreaIsTheirStationAndAGridOfAnotherStationIsNotFound()
    {
        var officer = await GaichaOfficerAsync();
        var otherGrid = await app.OwnerScalarAsync<string>(
            $"select code from community_grids where station_id <> {officer.StationId} order by code limit 1");
        Assert.NotNull(otherGrid);

        var own = await StudyAreaAsync(officer);
        var other = await StudyAreaAsync(officer, grid: otherGrid);
        var asAdmin = await StudyAreaAsync(new CallerScope(ScopeKind.Admin), grid: otherGrid);

        Assert.NotNull(own);
        Assert.Equal($"station:{officer.StationId}", own.Key);
        Assert.Equal(officer.StationId, own.StationId);
        Assert.Equal(32648, own.ProjectedArea.SRID);
        Assert.Null(other);
        Assert.NotNull(asAdmin);
        Assert.Equal($"grid:{otherGrid}", asAdmin.Key);
    }

    [Fact]
    public async Task CasesAndResidentsOfTheStudyAreaAreReadThroughTheSpatialIndexes()
    {
        var area = (await StudyAreaAsync(await GaichaOfficerAsync()))!.Area;
        var (start, end) = HotspotAnalysis.Instants(new DateOnly(2024, 11, 1), new DateOnly(2026, 10, 31));

        await using var cases = HotspotSql.CaseLocations(area, start, end, ["theft", "robbery"]);
        await using var residents = HotspotSql.ResidentsByEntrance(area);
        await using var stamp = HotspotSql.DataStamp(area);
        var casesPlan = await QueryPlans.IndexedPlanAsync(DataSource, cases);
        var residentsPlan = await QueryPlans.IndexedPlanAsync(DataSource, residents);
        var stampPlan = await QueryPlans.IndexedPlanAsync(DataSource, stamp);

        Assert.Contains(casesPlan, line => line.Contains("ix_cases_location"));
        Assert.Contains(residentsPlan, line => line.Contains("ix_buildings_entrance"));
        Assert.Contains(stampPlan, line => line.Contains("ix_cases_location"));
        Assert.Contains(stampPlan, line => line.Contains("ix_buildings_entrance"));
        foreach (var plan in new[] { casesPlan, residentsPlan, stampPlan })
        {
            Assert.DoesNotContain(plan, line => line.Contains("Seq Scan on cases") || line.Contains("Seq Scan on buildings")
                || line.Contains("Seq Scan on residence_registrations"));
        }
    }

    [Fact]
    public async Task AStoredRunIsReadThroughItsKeysAndItsHotBuildingsThroughTheEntranceIndex()
    {
        var client = await app.SignedInClientAsync("police.gaicha", PilotAppFactory.DemoPassword);
        var result = await client.GetFromJsonAsync<JsonElement>("/api/hotspots?from=2024-11-01&to=2026-10-31&features=false");
        var runId = result.GetProperty("run").GetProperty("id").GetInt64();
        var officer = await GaichaOfficerAsync();

        await using var visible = HotspotSql.VisibleRun(officer, runId);
        await using var cells = HotspotSql.CellFeatures(runId);
        await using var buildings = HotspotSql.HotBuildings(officer, runId);
        var visiblePlan = await QueryPlans.IndexedPlanAsync(DataSource, visible);
        var cellsPlan = await QueryPlans.IndexedPlanAsync(DataSource, cells);
        var buildingsPlan = await QueryPlans.IndexedPlanAsync(DataSource, buildings);

        Assert.Contains(visiblePlan, line => line.Contains("pk_hotspot_runs"));
        Assert.Contains(cellsPlan, line => line.Contains("pk_hotspot_cells"));
        Assert.Contains(buildingsPlan, line => line.Contains("pk_hotspot_cells"));
        Assert.Contains(buildingsPlan, line => line.Contains("ix_buildings_entrance"));
        Assert.DoesNotContain(buildingsPlan, line => line.Contains("Seq Scan on buildings"));
    }
}
