using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Policing.Hotspots;

public sealed class HotspotsApiTests(PilotAppFactory app) : IClassFixture<PilotAppFactory>
{
    private Task<HttpClient> Officer(string user = "police.gaicha") => app.SignedInClientAsync(user, PilotAppFactory.DemoPassword);

    [Fact]
    public async Task ThePilotShowsSignificantHotCellsWhereItsCasesCluster()
    {
        var officer = await Officer();

        var cells = await officer.GetFromJsonAsync<JsonElement>("/api/hotspots?cellSize=100&from=2024-11-01&to=2026-10-31");

        var features = cells.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        var hot = features.Where(p => p.GetProperty("class").GetString() == "hot_99").ToList();
        Assert.NotEmpty(hot);
        // Hot cells hold far more cases than the average cell: the generated hotspots are found.
        var mean = features.Average(p => p.GetProperty("count").GetDouble());
        Assert.True(hot.Average(p => p.GetProperty("count").GetDouble()) > 5 * mean);
        var parameters = cells.GetProperty("parameters");
        Assert.Equal(150, parameters.GetProperty("band").GetDouble());
        Assert.True(parameters.GetProperty("bandIsDefault").GetBoolean());
        Assert.Equal(["burglary", "robbery", "snatching", "theft"], parameters.GetProperty("types").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.True(parameters.GetProperty("events").GetInt32() > 300);
    }

    [Fact]
    public async Task TheYearAfterTheDoorplatesShowsAboutAThirdFewerRobberiesAndThefts()
    {
        var officer = await Officer();

        var before = await officer.GetFromJsonAsync<JsonElement>("/api/hotspots?from=2024-11-01&to=2025-10-31");
        var after = await officer.GetFromJsonAsync<JsonElement>("/api/hotspots?from=2025-11-01&to=2026-10-31");

        var eventsBefore = before.GetProperty("parameters").GetProperty("events").GetDouble();
        var eventsAfter = after.GetProperty("parameters").GetProperty("events").GetDouble();
        var change = (eventsAfter - eventsBefore) / eventsBefore;
        Assert.InRange(change, -0.40, -0.20);
    }

    [Fact]
    public async Task TheBeforeAfterViewSplitsAtThePlatesDateInEqualYearsAndShowsTheDrop()
    {
        var officer = await Officer();

        var result = await officer.GetFromJsonAsync<JsonElement>("/api/hotspots/change");
        var yearBefore = await officer.GetFromJsonAsync<JsonElement>("/api/hotspots?from=2024-11-01&to=2025-10-31&features=false");

        var parameters = result.GetProperty("parameters");
        Assert.Equal("2025-11-01", parameters.GetProperty("split").GetString());
        Assert.True(parameters.GetProperty("splitIsDefault").GetBoolean());
        Assert.Equal(365, parameters.GetProperty("days").GetInt32());
        Assert.Equal("2024-11-01", parameters.GetProperty("before").GetProperty("from").GetString());
        Assert.Equal("2025-10-31", parameters.GetProperty("before").GetProperty("to").GetString());
        Assert.Equal("2026-10-31", parameters.GetProperty("after").GetProperty("to").GetString());
        var summary = result.GetProperty("summary");
        Assert.InRange(summary.GetProperty("change").GetDouble(), -0.40, -0.20);
        // The "before" window is the same analysis as asking for that year: the same stored run.
        Assert.Equal(yearBefore.GetProperty("run").GetProperty("id").GetInt64(), result.GetProperty("before").GetProperty("run").GetProperty("id").GetInt64());
        Assert.Equal(yearBefore.GetProperty("parameters").GetProperty("events").GetDouble(), summary.GetProperty("eventsBefore").GetDouble());
        Assert.Empty(yearBefore.GetProperty("features").EnumerateArray());
    }

    [Theory]
    [InlineData("split=2025-02-30", "split")]
    [InlineData("split=2099-01-01", "split")]
    [InlineData("days=3", "days")]
    [InlineData("cellSize=5", "cellSize")]
    public async Task BadBeforeAfterParametersAreRefusedFieldByField(string query, string field)
    {
        var officer = await Officer();

        var response = await officer.GetAsync("/api/hotspots/change?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task RatesAreSuppressedWhereFewPeopleLive()
    {
        var officer = await Officer();

        var cells = await officer.GetFromJsonAsync<JsonElement>("/api/hotspots?cellSize=100&minResidents=20");

        foreach (var p in cells.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")))
        {
            var residents = p.GetProperty("residents").GetDouble();
            if (residents < 20) Assert.Equal(JsonValueKind.Null, p.GetProperty("rate").ValueKind);
            else Assert.Equal(p.GetProperty("count").GetDouble() * 1000 / residents, p.GetProperty("rate").GetDouble(), 9);
        }
    }

    [Fact]
    public async Task NoCallerGetsARateOnFewerResidentsThanTheOneMinimum()
    {
        var officer = await Officer();

        var cells = await officer.GetFromJsonAsync<JsonElement>("/api/hotspots?cellSize=100&minResidents=1");

        var properties = cells.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        Assert.Equal(SmartDoorplate.Policing.Hotspots.ResidentRates.MinimumResidents, cells.GetProperty("parameters").GetProperty("minResidents").GetInt32());
        Assert.Contains(properties, p => p.GetProperty("residents").GetDouble() is > 0 and < SmartDoorplate.Policing.Hotspots.ResidentRates.MinimumResidents);
        Assert.All(properties.Where(p => p.GetProperty("residents").GetDouble() < SmartDoorplate.Policing.Hotspots.ResidentRates.MinimumResidents),
            p => Assert.Equal(JsonValueKind.Null, p.GetProperty("rate").ValueKind));
    }

    [Fact]
    public async Task AnOfficerOfAnotherStationCannotAnalyseThePilotGrid()
    {
        var other = await Officer("police.other");

        var response = await other.GetAsync("/api/hotspots?grid=520103100207-04");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("cellSize=5", "cellSize")]
    [InlineData("cellSize=100&band=50", "band")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("types=burglary,tourism", "types")]
    [InlineData("method=magic", "method")]
    public async Task BadParametersAreRefusedFieldByField(string query, string field)
    {
        var officer = await Officer();

        var response = await officer.GetAsync("/api/hotspots?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task ChangeCellsCarryBothPeriodsAndTheirChangeAndCountCellsDoNotAndAStoredRunComesBackAsShown()
    {
        var officer = await Officer();

        var change = await officer.GetFromJsonAsync<JsonElement>("/api/hotspots/change?cellSize=200");
        var beforeId = change.GetProperty("before").GetProperty("run").GetProperty("id").GetInt64();
        var changeId = change.GetProperty("run").GetProperty("id").GetInt64();
        var storedBefore = await officer.GetFromJsonAsync<JsonElement>($"/api/hotspots/runs/{beforeId}");
        var storedChange = await officer.GetFromJsonAsync<JsonElement>($"/api/hotspots/runs/{changeId}");

        Assert.Equal("change", change.GetProperty("run").GetProperty("kind").GetString());
        var changeCells = change.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(changeCells);
        foreach (var cell in changeCells)
        {
            Assert.Equal("Feature", cell.GetProperty("type").GetString());
            Assert.Equal("Polygon", cell.GetProperty("geometry").GetProperty("type").GetString());
            var p = cell.GetProperty("properties");
            Assert.Equal(p.GetProperty("after").GetDouble() - p.GetProperty("before").GetDouble(), p.GetProperty("difference").GetDouble());
            Assert.Equal(p.GetProperty("difference").GetDouble(), p.GetProperty("count").GetDouble());
            Assert.True(p.TryGetProperty("percentChange", out _));
            Assert.Equal(JsonValueKind.Null, p.GetProperty("rate").ValueKind);
        }
        Assert.Equal("counts", storedBefore.GetProperty("run").GetProperty("kind").GetString());
        foreach (var p in storedBefore.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")))
        {
            Assert.False(p.TryGetProperty("before", out _));
            Assert.False(p.TryGetProperty("percentChange", out _));
        }
        Assert.True(storedChange.GetProperty("run").GetProperty("reused").GetBoolean());
        Assert.Equal(changeCells.Select(c => c.GetRawText()), storedChange.GetProperty("features").EnumerateArray().Select(c => c.GetRawText()));
        Assert.Equal(change.GetProperty("parameters").GetProperty("split").GetString(), storedChange.GetProperty("parameters").GetProperty("split").GetString());
    }
}
