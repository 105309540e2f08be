using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Map;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Map;
using SmartDoorplate.Web.Tests.Occupancy;

namespace SmartDoorplate.Web.Tests.Policing;

// 巡查签到 over HTTP → EF → PostGIS. Every test checks in at a building of its own (a check-in by the
// same officer at the same building within minutes is a repeat), in station A's grid of TestWorld.
public sealed partial class PatrolTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private sealed record Place(long Id, string Plate, double Lon, double Lat);

    // Metres per degree of longitude at a latitude, on a sphere of the WGS84 mean radius: an
    // independent check of PostGIS's spheroid distance (they agree to well under 1%).
    private static double MetresPerDegreeLon(double lat) => Math.PI / 180 * 6_371_008.8 * Math.Cos(lat * Math.PI / 180);
    private const double MetresPerDegreeLat = Math.PI / 180 * 6_371_008.8;

    private async Task<Place> NewPlaceAsync()
    {
        var building = await OccupancyData.NewBuildingAsync(app);
        var entrance = await app.WithDbAsync(db => db.Buildings.Where(b => b.Id == building.Id).Select(b => new { b.Entrance.X, b.Entrance.Y }).SingleAsync());
        // The footprint is the box (lon, lat)–(lon + 0.0001, lat + 0.0001) with the entrance at its south-west corner.
        return new Place(building.Id, building.PlateCode, entrance.X, entrance.Y);
    }

    private static Task<HttpResponseMessage> CheckInAsync(HttpClient client, object body) => client.PostAsJsonAsync("/api/patrol/visits", body);

    private async Task<long> VisitCountAsync(long buildingId) =>
        await app.WithDbAsync(db => db.PatrolVisits.IgnoreQueryFilters().LongCountAsync(v => v.BuildingId == buildingId));

    private async Task OwnerExecuteAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    // A visit long ago, written beside the app (which may not back-date one).
    private Task OldVisitAsync(Place place, int daysAgo) => OwnerExecuteAsync("""
        insert into patrol_visits (building_id, officer_id, station_id, doorplate_code, visited_at, far)
        select b.id, (select id from users where user_name = 't.officer.a'), g.station_id, $2, now() - make_interval(days => $3), false
        from buildings b join community_grids g on g.id = b.grid_id where b.id = $1
        """, place.Id, place.Plate, daysAgo);

    [Fact]
    public async Task ACheckInNearTheBuildingStoresItsDistanceAndIsNotFlagged()
    {
        var place = await NewPlaceAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");
        // 0.0003° east of the footprint's east edge, level with its middle.
        var lon = place.Lon + 0.0004;
        var lat = place.Lat + 0.00005;

        var response = await CheckInAsync(officer, new { doorplateCode = place.Plate, lat, lon, accuracy = 12.5 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var visit = await response.Content.ReadFromJsonAsync<JsonElement>();
        var expected = 0.0003 * MetresPerDegreeLon(lat);
        var distance = visit.GetProperty("distanceMetres").GetDouble();
        Assert.InRange(distance, expected * 0.99, expected * 1.01);
        Assert.True(distance < 200);
        Assert.False(visit.GetProperty("far").GetBoolean());
        Assert.Equal($"/api/patrol/visits/{visit.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);

        var stored = await app.WithDbAsync(db => db.PatrolVisits.IgnoreQueryFilters().SingleAsync(v => v.BuildingId == place.Id));
        Assert.Equal(lon, stored.Position!.X, 9);
        Assert.Equal(lat, stored.Position.Y, 9);
        Assert.Equal(4326, stored.Position.SRID);
        Assert.Equal(12.5, stored.AccuracyMetres);
        Assert.Equal(app.World.StationA, stored.StationId);
        Assert.Equal(place.Plate, stored.DoorplateCode);
        Assert.InRange(stored.VisitedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var officerId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "t.officer.a").Select(u => u.Id).SingleAsync());
        Assert.Equal(officerId, stored.OfficerId);
    }

    [Fact]
    public async Task ACheckInAKilometreAwayIsStoredAndFlaggedFarEvenWithAPoorFix()
    {
        var place = await NewPlaceAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");

        // ±5 km is credited only 100 m: a useless fix cannot hide a far check-in.
        var response = await CheckInAsync(officer, new { doorplateCode = place.Plate, lat = place.Lat + 0.0101, lon = place.Lon, accuracy = 5000 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var visit = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.InRange(visit.GetProperty("distanceMetres").GetDouble(), 0.0100 * MetresPerDegreeLat * 0.99, 0.0100 * MetresPerDegreeLat * 1.01);
        Assert.True(visit.GetProperty("far").GetBoolean());
        var stored = await app.WithDbAsync(db => db.PatrolVisits.IgnoreQueryFilters().SingleAsync(v => v.BuildingId == place.Id));
        Assert.True(stored.Far);
    }

    [Theory]
    [InlineData(60, false)]   // 239 m away, ±60 m: the fix may well have been within 200 m + 60 m
    [InlineData(10, true)]    // 239 m away, ±10 m: beyond 210 m
    public async Task TheReportedAccuracyIsCreditedUpToALimitBeforeACheckInIsFlagged(double accuracy, bool far)
    {
        var place = await NewPlaceAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");
        // 0.00225° north of the entrance = 0.00215° north of the footprint's north edge ≈ 239 m.
        var visit = await (await CheckInAsync(officer, new { doorplateCode = place.Plate, lat = place.Lat + 0.00225, lon = place.Lon + 0.00005, accuracy }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.InRange(visit.GetProperty("distanceMetres").GetDouble(), 230, 250);
        Assert.Equal(far, visit.GetProperty("far").GetBoolean());
    }

    [Fact]
    public async Task ACheckInWithoutAPositionStoresNoDistanceAndNoFlag()
    {
        var place = await NewPlaceAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");

        var response = await CheckInAsync(officer, new { doorplateCode = place.Plate });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var visit = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, visit.GetProperty("distanceMetres").ValueKind);
        Assert.False(visit.GetProperty("far").GetBoolean());
        var stored = await app.WithDbAsync(db => db.PatrolVisits.IgnoreQueryFilters().SingleAsync(v => v.BuildingId == place.Id));
        Assert.Null(stored.Position);
        Assert.Null(stored.DistanceMetres);
        Assert.Null(stored.AccuracyMetres);
    }

    [Fact]
    public async Task ASecondTapWithinMinutesReturnsTheFirstCheckInAndStoresNoOther()
    {
        var place = await NewPlaceAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");

        var first = await CheckInAsync(officer, new { doorplateCode = place.Plate });
        var second = await CheckInAsync(officer, new { doorplateCode = place.Plate.ToLowerInvariant() });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(),
            (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        Assert.Equal(1, await VisitCountAsync(place.Id));
    }

    [Fact]
    public async Task ThreeSimultaneousTapsStoreOneCheckIn()
    {
        var place = await NewPlaceAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CheckInAsync(officer, new { doorplateCode = place.Plate })));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await VisitCountAsync(place.Id));
    }

    [Fact]
    public async Task ACheckInIsAudited()
    {
        var place = await NewPlaceAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");

        var visit = await (await CheckInAsync(officer, new { doorplateCode = place.Plate })).Content.ReadFromJsonAsync<JsonElement>();

        var events = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == "patrol_check_in" && e.TargetType == "building" && e.TargetId == place.Id.ToString(CultureInfo.InvariantCulture))
            .ToListAsync());
        var audited = Assert.Single(events);
        Assert.Equal("t.officer.a", audited.ActorName);
        using var details = JsonDocument.Parse(audited.Details!);
        Assert.Equal(visit.GetProperty("id").GetInt64(), details.RootElement.GetProperty("visit").GetInt64());
        Assert.Equal(place.Plate, details.RootElement.GetProperty("code").GetString());
    }

    public static TheoryData<string, string> BadPositions => new()
    {
        // body (the plate is filled in), field in error
        { """{ "lat": 91, "lon": 106.65 }""", "lat" },
        { """{ "lat": -90.5, "lon": 106.65 }""", "lat" },
        { """{ "lat": 26.6, "lon": 180.01 }""", "lon" },
        { """{ "lat": 26.6 }""", "lon" },
        { """{ "lon": 106.65 }""", "lat" },
        { """{ "lat": 26.6, "lon": 106.65, "accuracy": -1 }""", "accuracy" },
        { """{ "accuracy": 10 }""", "accuracy" },
    };

    [Theory]
    [MemberData(nameof(BadPositions))]
    public async Task BadCoordinatesAreProblemDetailsByFieldAndStoreNothing(string position, string field)
    {
        var place = await NewPlaceAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(position)!;
        body["doorplateCode"] = JsonSerializer.SerializeToElement(place.Plate);

        var response = await CheckInAsync(officer, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.Contains(" / ", message); // Chinese and English
        Assert.Equal(0, await VisitCountAsync(place.Id));
    }

    [Fact]
    public async Task AMissingPlateCodeIsAProblemByField()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");

        var response = await CheckInAsync(officer, new { lat = 26.6, lon = 106.65 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("doorplateCode", out _));
    }

    [Fact]
    public async Task AnotherStationsOfficerCannotCheckInOrSeeTheVisit()
    {
        var place = await NewPlaceAsync();
        var own = await app.SignedInClientAsync("t.officer.a");
        var visit = await (await CheckInAsync(own, new { doorplateCode = place.Plate })).Content.ReadFromJsonAsync<JsonElement>();
        var other = await app.SignedInClientAsync("t.officer.b");

        var checkIn = await CheckInAsync(other, new { doorplateCode = place.Plate, lat = place.Lat, lon = place.Lon });
        var read = await other.GetAsync($"/api/patrol/visits/{visit.GetProperty("id").GetInt64()}");

        Assert.Equal(HttpStatusCode.NotFound, checkIn.StatusCode);
        Assert.Contains("辖区", (await checkIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/patrol/visits/{visit.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(1, await VisitCountAsync(place.Id));
    }

    [Fact]
    public async Task AReplacedOrUnknownPlateIsNotFound()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");

        Assert.Equal(HttpStatusCode.NotFound, (await CheckInAsync(officer, new { doorplateCode = app.World.RevokedPlateA })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CheckInAsync(officer, new { doorplateCode = "NOT-A-PLATE" })).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/patrol/visits")]
    [InlineData("GET", "/api/patrol/unvisited")]
    [InlineData("GET", "/api/patrol/visits/1")]
    public async Task LandlordsAreForbiddenAndAnonymousCallersUnauthorised(string method, string path)
    {
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var anonymous = app.CreateClient();
        HttpRequestMessage Request() => new(new HttpMethod(method), path)
        {
            Content = method == "POST" ? JsonContent.Create(new { doorplateCode = app.World.PlateA }) : null,
        };

        Assert.Equal(HttpStatusCode.Forbidden, (await landlord.SendAsync(Request())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Request())).StatusCode);
        Assert.Equal(0, await VisitCountAsync(app.World.BuildingA));
    }

    private static async Task<Dictionary<string, string>> TileAttributesAsync(HttpClient client, Place place)
    {
        var tile = TileAddress.Containing(place.Lon + 0.00005, place.Lat + 0.00005, 16);
        var response = await client.GetAsync(PilotMapFixture.TileUrl("buildings", tile));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = await Ogr.ReadTileAsync(await response.Content.ReadAsByteArrayAsync(), tile);
        var feature = info.Split("OGRFeature(buildings)").Single(f => Regex.IsMatch(f, $@"\bid \(Integer[^)]*\) = {place.Id}\b"));
        return AttributeLine().Matches(feature).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
    }

    [GeneratedRegex(@"^\s+(\w+) \(.*?\) = (.*)$", RegexOptions.Multiline)]
    private static partial Regex AttributeLine();

    [Fact]
    public async Task TheBuildingsTileTellsDaysSinceTheLastVisitAndWhetherItIsUnvisited()
    {
        var never = await NewPlaceAsync();
        var longAgo = await NewPlaceAsync();
        await OldVisitAsync(longAgo, 40);
        var officer = await app.SignedInClientAsync("t.officer.a");

        var before = await TileAttributesAsync(officer, never);
        var old = await TileAttributesAsync(officer, longAgo);
        Assert.Equal(HttpStatusCode.Created, (await CheckInAsync(officer, new { doorplateCode = never.Plate })).StatusCode);
        var after = await TileAttributesAsync(officer, never);

        Assert.Equal("1", before["unvisited"]);
        Assert.True(!before.TryGetValue("lastVisitDays", out var none) || none == "(null)", $"never visited, yet lastVisitDays = {none}");
        Assert.Equal("40", old["lastVisitDays"]);
        Assert.Equal("1", old["unvisited"]);
        Assert.Equal("0", after["lastVisitDays"]);
        Assert.Equal("0", after["unvisited"]);
    }

    // With sequential scans priced out, a plan that still reads patrol_visits whole means the last
    // visit of a building cannot come from the (building_id, visited_at desc) index.
    [Fact]
    public async Task TheBuildingsTileFindsEachLastVisitThroughTheIndex()
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var tile = TileAddress.Containing(106.65, 26.62, 16);
        await using var tileCommand = VectorTileLayers.Buildings.CreateCommand(dataSource, tile, new CallerScope(ScopeKind.Admin, 1), TileParameters.None);
        var plan = await QueryPlans.IndexedPlanAsync(dataSource, tileCommand);

        Assert.Contains(plan, line => line.Contains("ix_patrol_visits_building_id_visited_at"));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan on patrol_visits"));
    }

    [Fact]
    public async Task TheUnvisitedListHasNeverAndLongAgoVisitedBuildingsButNotAJustVisitedOne()
    {
        var visited = await NewPlaceAsync();
        var longAgo = await NewPlaceAsync();
        var recent = await NewPlaceAsync();
        await OldVisitAsync(longAgo, 45);
        await OldVisitAsync(recent, 29);
        var officer = await app.SignedInClientAsync("t.officer.a");
        async Task<Dictionary<long, JsonElement>> ListAsync()
        {
            var list = await officer.GetFromJsonAsync<JsonElement>("/api/patrol/unvisited?grid=T-A-01");
            Assert.Equal(30, list.GetProperty("days").GetInt32());
            return list.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetInt64());
        }

        var before = await ListAsync();
        Assert.Equal(HttpStatusCode.Created, (await CheckInAsync(officer, new { doorplateCode = visited.Plate })).StatusCode);
        var after = await ListAsync();

        Assert.Contains(visited.Id, before.Keys);
        Assert.Equal(JsonValueKind.Null, before[visited.Id].GetProperty("lastVisitedAt").ValueKind);
        Assert.DoesNotContain(visited.Id, after.Keys);
        Assert.Equal(45, after[longAgo.Id].GetProperty("daysSinceVisit").GetInt32());
        Assert.DoesNotContain(recent.Id, after.Keys);
        Assert.DoesNotContain(app.World.BuildingB, after.Keys);
    }

    [Fact]
    public async Task TheUnvisitedListOfAnotherStationsGridIsNotFound()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");

        var response = await officer.GetAsync("/api/patrol/unvisited?grid=T-B-01");
        var all = await officer.GetFromJsonAsync<JsonElement>("/api/patrol/unvisited");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == app.World.BuildingB);
        Assert.Contains(all.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == app.World.BuildingA);
    }

    // A browser-like client: the session cookie from the sign-in, anti-forgery tokens from the forms.
    private async Task<HttpClient> CookieClientAsync(string userName)
    {
        var client = app.CreateClient();
        (await client.PostAsJsonAsync("/api/auth/login", new { username = userName, password = TestWorld.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private static string FormToken(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    [Fact]
    public async Task TheScanPageShowsTheCheckInButtonToASignedInOfficerAndTheCachedPublicPageNeverDoes()
    {
        var place = await NewPlaceAsync();
        var officer = await CookieClientAsync("t.officer.a");
        var anonymous = app.CreateClient();

        // The officer first: their page must not be stored for the public.
        var officerPage = await officer.GetStringAsync($"/d/{place.Plate}");
        var firstPublic = await anonymous.GetAsync($"/d/{place.Plate}");
        var cachedPublic = await anonymous.GetAsync($"/d/{place.Plate}");
        var officerAgain = await officer.GetStringAsync($"/d/{place.Plate}");

        Assert.Contains("巡查签到", officerPage);
        Assert.Contains($"action=\"/d/{place.Plate}/check-in\"", officerPage);
        Assert.Contains("/js/patrol-check-in.js", officerPage);
        Assert.Contains("巡查签到", officerAgain);
        foreach (var response in new[] { firstPublic, cachedPublic })
        {
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("我要登记", html);
            Assert.DoesNotContain("巡查签到", html);
            Assert.DoesNotContain("check-in", html);
        }
        // The second public answer came from the output cache: the cache is really in play.
        Assert.True(cachedPublic.Headers.Age.HasValue, "the public scan page was not served from the output cache");
    }

    [Fact]
    public async Task AnotherStationsOfficerSeesWhyTheyCannotCheckInAndAPostIsRefused()
    {
        var place = await NewPlaceAsync();
        var other = await CookieClientAsync("t.officer.b");

        var page = await other.GetStringAsync($"/d/{place.Plate}");
        var own = await other.GetStringAsync($"/d/{app.World.PlateB}");
        var form = await other.PostAsync($"/d/{place.Plate}/check-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken(own), ["Lat"] = "", ["Lon"] = "", ["Accuracy"] = "",
        }));

        Assert.Contains("此楼栋不在您的辖区，不能在此巡查签到", page);
        Assert.DoesNotContain("id=\"patrol-submit\"", page);
        Assert.Equal(HttpStatusCode.NotFound, form.StatusCode);
        Assert.Contains("不在您的辖区", await form.Content.ReadAsStringAsync());
        Assert.Equal(0, await VisitCountAsync(place.Id));
    }

    [Fact]
    public async Task TheButtonWorksWithoutJavaScriptAndTheConfirmationShowsTimeAndNoPosition()
    {
        var place = await NewPlaceAsync();
        var officer = await CookieClientAsync("t.officer.a");
        var page = await officer.GetStringAsync($"/d/{place.Plate}");

        var response = await officer.PostAsync($"/d/{place.Plate}/check-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken(page), ["Lat"] = "", ["Lon"] = "", ["Accuracy"] = "",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"/patrol/visits/\d+$", response.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("签到成功", html);
        Assert.Contains("未获取到位置", html);
        Assert.Matches(@"id=""patrol-time"">签到时间 <time datetime=""[^""]+"">20\d\d-\d\d-\d\d \d\d:\d\d:\d\d</time>", html);
        Assert.DoesNotContain("id=\"patrol-far\"", html);
        Assert.Equal(1, await VisitCountAsync(place.Id));
    }

    [Fact]
    public async Task AFarCheckInFromTheFormIsConfirmedInRedWithItsDistance()
    {
        var place = await NewPlaceAsync();
        var officer = await CookieClientAsync("t.officer.a");
        var page = await officer.GetStringAsync($"/d/{place.Plate}");

        var response = await officer.PostAsync($"/d/{place.Plate}/check-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken(page),
            ["Lat"] = (place.Lat + 0.0101).ToString("R", CultureInfo.InvariantCulture),
            ["Lon"] = place.Lon.ToString("R", CultureInfo.InvariantCulture),
            ["Accuracy"] = "8",
        }));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-far=\"true\"", html);
        Assert.Matches(@"id=""patrol-distance"">距楼栋 1\d\d\d 米", html);
        Assert.Contains("<p class=\"error\" id=\"patrol-far\" role=\"alert\">距离过远：超出 200 米，已标记为远距离签到</p>", html);
    }

    [Fact]
    public async Task ANonNumericPositionFromTheFormIsRefusedWithAMessage()
    {
        var place = await NewPlaceAsync();
        var officer = await CookieClientAsync("t.officer.a");
        var page = await officer.GetStringAsync($"/d/{place.Plate}");

        var response = await officer.PostAsync($"/d/{place.Plate}/check-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken(page), ["Lat"] = "north", ["Lon"] = "106.65", ["Accuracy"] = "",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<li data-field=\"lat\">须为数字</li>", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await VisitCountAsync(place.Id));
    }

    [Fact]
    public async Task TheMapStyleHasTheUnvisitedLayerAndThePageItsToggle()
    {
        var officer = await CookieClientAsync("t.officer.a");

        var style = await officer.GetFromJsonAsync<JsonElement>("/api/map/style.json");
        var page = await officer.GetStringAsync("/police/map");

        var layer = style.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "buildings-unvisited");
        Assert.Equal("buildings", layer.GetProperty("source-layer").GetString());
        Assert.Contains("unvisited", layer.GetProperty("filter").GetRawText());
        Assert.Contains("data-layers=\"buildings-unvisited\"", page);
        Assert.Contains("30 天未巡查", page);
    }
}
