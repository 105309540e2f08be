using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Gis;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Map;

[Collection(PilotMapCollection.Name)]
public sealed class BuildingsGeoJsonTests(PilotMapFixture app)
{
    private static async Task<string> OgrInfoAsync(string geoJson)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sd-buildings-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(path, geoJson);
        try
        {
            return await Ogr.InfoAsync("-ro", "-so", "-al", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ThePilotLoadLeavesBuildingCountsEqualToAFreshCount()
    {
        var mismatches = await app.WithDbAsync(Registrations.BuildingCountsCheck.MismatchesAsync);

        Assert.Empty(mismatches);
        Assert.Equal(
            await app.ScalarAsync<long>("select count(*) from residence_registrations where status in ('confirmed', 'verified') and move_out_date is null"),
            await app.ScalarAsync<long>("select sum(residents) from building_counts"));
    }

    [Fact]
    public async Task BuildingsInABoxAreAFeatureCollectionThatGdalCounts()
    {
        var expected = await app.ScalarAsync<long>($"""
            select count(*) from buildings b
            where ST_Intersects(b.footprint, ST_MakeEnvelope({PilotMapFixture.GaichaBox}, 4326))
            """);

        var response = await app.Gaicha.GetAsync($"/api/buildings?bbox={PilotMapFixture.GaichaBox}");
        var body = await response.Content.ReadAsStringAsync();
        var info = await OgrInfoAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(expected > 100);
        Assert.Contains($"Feature Count: {expected}", info);
        Assert.Contains("Geometry: Polygon", info);
        foreach (var field in new[] { "id: Integer", "doorplateCode: String", "address: String", "gridCode: String", "residents: Integer", "floating: Integer" })
            Assert.Contains(field, info);
    }

    // The endpoint's own statement, EXPLAINed with sequential scans priced out: a plan that still
    // reads buildings whole means the box cannot use the footprint's GiST index.
    [Fact]
    public async Task ABoxFindsItsBuildingsThroughTheFootprintIndex()
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var box = BoundingBox.Parse(PilotMapFixture.GaichaBox, []) ?? throw new InvalidOperationException("GaichaBox is not a box");
        await using var command = BuildingsSql.InBox(dataSource, box, new CallerScope(ScopeKind.Station, 1, StationId: 1));
        var plan = await QueryPlans.IndexedPlanAsync(dataSource, command);

        Assert.Contains(plan, line => line.Contains("ix_buildings_footprint"));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan on buildings"));
    }

    [Fact]
    public async Task EachFeatureCarriesItsPlateGridAndCurrentResidents()
    {
        using var collection = JsonDocument.Parse(await app.Gaicha.GetStringAsync($"/api/buildings?bbox={PilotMapFixture.GaichaBox}"));
        var busiest = collection.RootElement.GetProperty("features").EnumerateArray()
            .MaxBy(f => f.GetProperty("properties").GetProperty("residents").GetInt32());
        var properties = busiest.GetProperty("properties");
        var id = properties.GetProperty("id").GetInt64();

        var truth = await app.ScalarAsync<string>($"""
            select d.code || '|' || g.code || '|' ||
                   (select count(*) from residence_registrations r where r.building_id = b.id and r.status in ('confirmed', 'verified') and r.move_out_date is null) || '|' ||
                   (select count(*) from residence_registrations r join persons p on p.id = r.person_id
                    where r.building_id = b.id and r.status in ('confirmed', 'verified') and r.move_out_date is null and p.origin_region_code not like '5201%')
            from buildings b join doorplates d on d.building_id = b.id and d.revoked_at is null join community_grids g on g.id = b.grid_id
            where b.id = {id}
            """);

        Assert.Equal("FeatureCollection", collection.RootElement.GetProperty("type").GetString());
        Assert.Equal("Polygon", busiest.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(truth, string.Join('|', properties.GetProperty("doorplateCode").GetString(), properties.GetProperty("gridCode").GetString(),
            properties.GetProperty("residents").GetInt32(), properties.GetProperty("floating").GetInt32()));
        Assert.StartsWith("云岩区黔灵镇", properties.GetProperty("address").GetString());
    }

    [Fact]
    public async Task AnOfficerOfTheOtherStationGetsAnEmptyCollectionForThePilotArea()
    {
        var response = await app.Other.GetAsync($"/api/buildings?bbox={PilotMapFixture.GaichaBox}");
        using var collection = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("FeatureCollection", collection.RootElement.GetProperty("type").GetString());
        Assert.Equal(0, collection.RootElement.GetProperty("features").GetArrayLength());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?bbox=")]
    [InlineData("?bbox=106.66,26.60,106.68")]
    [InlineData("?bbox=106.66,26.60,106.68,26.61,1")]
    [InlineData("?bbox=a,b,c,d")]
    [InlineData("?bbox=106.68,26.60,106.66,26.61")]
    [InlineData("?bbox=106.66,26.61,106.68,26.60")]
    [InlineData("?bbox=-181,26.60,106.68,26.61")]
    [InlineData("?bbox=106.66,26.60,106.68,91")]
    [InlineData("?bbox=106.66,26.60,106.68,NaN")]
    [InlineData("?bbox=106,26,107,27")]
    public async Task BadOrHugeBoxesAreProblemDetails(string query)
    {
        var response = await app.Gaicha.GetAsync("/api/buildings" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("bbox", out _));
    }

    [Fact]
    public async Task TheBuildingByIdStillAnswersBesideTheBox()
    {
        var id = await app.ScalarAsync<long>("select min(id) from buildings where code like 'GC-%'");

        Assert.Equal(HttpStatusCode.OK, (await app.Gaicha.GetAsync($"/api/buildings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Other.GetAsync($"/api/buildings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Landlord.GetAsync($"/api/buildings?bbox={PilotMapFixture.GaichaBox}")).StatusCode);
    }
}
