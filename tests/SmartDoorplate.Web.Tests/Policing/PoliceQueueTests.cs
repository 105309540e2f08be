using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Occupancy;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;
using SmartDoorplate.Policing.Queue;

namespace SmartDoorplate.Web.Tests.Policing;

// The app's clock moved forward, as if the test ran days later.
public sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;

    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;
}

public sealed class PoliceQueueTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static async Task<List<JsonElement>> ItemsAsync(HttpClient client, string grid)
    {
        var queue = await client.GetFromJsonAsync<JsonElement>($"/api/police/queue?grid={grid}");
        return [.. queue.GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task ARegistrationPendingPastTheDeadlineShowsInThePoliceQueueOfItsGrid()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var overdue = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddDays(-3).AddMinutes(-5));
        var inTime = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddDays(-2));
        var officer = await app.SignedInClientAsync("t.officer.a");

        var items = await ItemsAsync(officer, "T-A-01");

        var item = items.Single(i => i.GetProperty("registrationId").GetString() == overdue.Id.ToString());
        Assert.Equal("overdue_confirmation", item.GetProperty("type").GetString());
        Assert.Equal(building.Id, item.GetProperty("buildingId").GetInt64());
        Assert.Equal(building.Code, item.GetProperty("buildingCode").GetString());
        Assert.Contains(building.Code, item.GetProperty("address").GetString());
        Assert.Equal("T-A-01", item.GetProperty("gridCode").GetString());
        Assert.InRange(item.GetProperty("lon").GetDouble(), 106.60, 106.72);
        Assert.InRange(item.GetProperty("lat").GetDouble(), 26.55, 26.72);
        Assert.Equal(building.Rooms["101"], item.GetProperty("roomId").GetInt64());
        Assert.InRange(item.GetProperty("since").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-6), DateTimeOffset.UtcNow.AddMinutes(-4));
        Assert.DoesNotContain(items, i => i.GetProperty("registrationId").GetString() == inTime.Id.ToString());
    }

    [Fact]
    public async Task TheDeadlineFollowsTheAppsClockAndItsConfiguredNumberOfDays()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var justNow = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow);
        await using var twoDaysLater = app.WithWebHostBuilder(b => b
            .UseSetting("Registrations:LandlordDeadlineDays", "1")
            .ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new ShiftedClock(TimeSpan.FromDays(2)))));
        var officerNow = await app.SignedInClientAsync("t.officer.a");
        var officerLater = await SignInAsync(twoDaysLater, "t.officer.a");

        var now = await ItemsAsync(officerNow, "T-A-01");
        var later = await officerLater.GetFromJsonAsync<JsonElement>("/api/police/queue?grid=T-A-01");

        Assert.DoesNotContain(now, i => i.GetProperty("registrationId").GetString() == justNow.Id.ToString());
        Assert.Equal(1, later.GetProperty("deadlineDays").GetInt32());
        Assert.Contains(later.GetProperty("items").EnumerateArray(), i => i.GetProperty("registrationId").GetString() == justNow.Id.ToString());
    }

    private static async Task<HttpClient> SignInAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, string user)
    {
        var client = factory.CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { username = user, password = TestWorld.Password });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    [Fact]
    public async Task RoomsWithMoreOccupantsThanBedsAreFlagged()
    {
        var building = await NewBuildingAsync(app, rooms: [("101", 1), ("102", 2)]);
        await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed);
        await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Verified, moveIn: DateOnly.FromDateTime(DateTime.Today.AddDays(-1)));
        await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Ended);
        await NewRegistrationAsync(app, building.Id, building.Rooms["102"], RegistrationStatus.Confirmed);
        await NewRegistrationAsync(app, building.Id, building.Rooms["102"], RegistrationStatus.Submitted);
        await NewRegistrationAsync(app, building.Id, building.Rooms["102"], RegistrationStatus.Submitted);
        var officer = await app.SignedInClientAsync("t.officer.a");

        var items = await ItemsAsync(officer, "T-A-01");

        var crowded = items.Where(i => i.GetProperty("type").GetString() == "overcrowded_room" && i.GetProperty("buildingId").GetInt64() == building.Id).ToList();
        var room = Assert.Single(crowded);
        Assert.Equal(building.Rooms["101"], room.GetProperty("roomId").GetInt64());
        Assert.Equal(2, room.GetProperty("occupants").GetInt32());
        Assert.Equal(1, room.GetProperty("beds").GetInt32());
    }

    [Fact]
    public async Task TenantsFromElsewhereWhoMovedInOverSixMonthsAgoAreFlaggedForAResidencePermit()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 4));
        var longAgo = DateOnly.FromDateTime(DateTime.Today.AddMonths(-7));
        var eligible = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Verified, moveIn: longAgo, region: "511302");
        var local = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Verified, moveIn: longAgo, region: "520102");
        var recent = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed, moveIn: DateOnly.FromDateTime(DateTime.Today.AddMonths(-5)), region: "511302");
        var officer = await app.SignedInClientAsync("t.officer.a");

        var flagged = (await ItemsAsync(officer, "T-A-01"))
            .Where(i => i.GetProperty("type").GetString() == "residence_permit_eligible")
            .Select(i => i.GetProperty("registrationId").GetString()).ToList();

        Assert.Contains(eligible.Id.ToString(), flagged);
        Assert.DoesNotContain(local.Id.ToString(), flagged);
        Assert.DoesNotContain(recent.Id.ToString(), flagged);
    }

    [Fact]
    public async Task AnotherStationsGridIsNotFoundAndLandlordsHaveNoQueue()
    {
        var officerB = await app.SignedInClientAsync("t.officer.b");
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var otherGrid = await officerB.GetAsync("/api/police/queue?grid=T-A-01");
        var unknownGrid = await officerB.GetAsync("/api/police/queue?grid=NOPE");
        var byLandlord = await landlord.GetAsync("/api/police/queue?grid=T-A-01");

        Assert.Equal(HttpStatusCode.NotFound, otherGrid.StatusCode);
        Assert.Equal("application/problem+json", otherGrid.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownGrid.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byLandlord.StatusCode);
    }

    [Fact]
    public async Task WithoutAGridTheQueueCoversTheOfficersWholeScopeAndNothingElse()
    {
        var mine = await NewBuildingAsync(app, rooms: ("101", 2));
        var theirs = await NewBuildingAsync(app, "t.landlord.b", "T-B-01", ("101", 2));
        var old = DateTimeOffset.UtcNow.AddDays(-10);
        var inScope = await NewRegistrationAsync(app, mine.Id, mine.Rooms["101"], RegistrationStatus.Submitted, submittedAt: old);
        var outOfScope = await NewRegistrationAsync(app, theirs.Id, theirs.Rooms["101"], RegistrationStatus.Submitted, submittedAt: old);
        var officer = await app.SignedInClientAsync("t.officer.a");

        var queue = await officer.GetFromJsonAsync<JsonElement>("/api/police/queue");

        var ids = queue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("registrationId").GetString()).ToList();
        Assert.Contains(inScope.Id.ToString(), ids);
        Assert.DoesNotContain(outOfScope.Id.ToString(), ids);
        Assert.True(queue.GetProperty("counts").GetProperty("overdue_confirmation").GetInt32() >= 1);
    }

    [Fact]
    public async Task TheQueueListRefusesAnUnknownKindAndPagesOutOfRange()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");

        var kind = await officer.GetAsync("/api/police/queue/list?type=everything");
        var page = await officer.GetAsync("/api/police/queue/list?type=overcrowded_room&page=0");
        var size = await officer.GetAsync($"/api/police/queue/list?type=overcrowded_room&pageSize={PoliceQueueApi.MaxPageSize + 1}");
        var otherGrid = await (await app.SignedInClientAsync("t.officer.b")).GetAsync("/api/police/queue/list?type=overcrowded_room&grid=T-A-01");

        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
        Assert.Contains("\"type\"", await kind.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, size.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherGrid.StatusCode);
    }
}

// More overdue registrations than the markers hold, in a database of their own: in a shared one they
// would push every other test's items past the cap.
public sealed class PoliceQueueCapTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public async Task TheQueueCountsEveryItemBeyondTheMarkerCapAndTheListPagesThroughThemAll()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var old = DateTimeOffset.UtcNow.AddDays(-30);
        var first = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: old);
        var copies = PoliceQueueApi.MaxItemsPerType + 37;
        // The same overdue registration many times over, each a minute later than the one before.
        await app.OwnerExecuteAsync($"""
            insert into residence_registrations
            select (jsonb_populate_record(r, jsonb_build_object(
                'id', gen_random_uuid(), 'receipt', 'Q' || upper(substr(md5(random()::text || g), 1, 12)),
                'submitted_at', r.submitted_at + g * interval '1 minute'))).*
            from residence_registrations r, generate_series(1, {copies}) g where r.id = '{first.Id}'
            """);
        var officer = await app.SignedInClientAsync("t.officer.a");
        var expected = await app.WithDbAsync(db => db.Registrations.IgnoreQueryFilters().CountAsync(r =>
            r.Building!.Grid!.Code == "T-A-01" && r.Status == RegistrationStatus.Submitted && r.SubmittedAt < DateTimeOffset.UtcNow.AddDays(-3)));

        var queue = await officer.GetFromJsonAsync<JsonElement>("/api/police/queue?grid=T-A-01");
        var pages = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var answer = await officer.GetFromJsonAsync<JsonElement>($"/api/police/queue/list?grid=T-A-01&type=overdue_confirmation&page={page}&pageSize=100");
            if (answer.GetProperty("items").GetArrayLength() == 0) break;
            pages.Add(answer);
        }
        var listed = pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("registrationId").GetString()).ToList();

        Assert.True(expected > PoliceQueueApi.MaxItemsPerType, $"{expected} overdue");
        Assert.Equal(expected, queue.GetProperty("counts").GetProperty("overdue_confirmation").GetInt32());
        Assert.Equal(queue.GetProperty("counts").EnumerateObject().Sum(c => c.Value.GetInt32()), queue.GetProperty("total").GetInt32());
        Assert.Equal(PoliceQueueApi.MaxItemsPerType, queue.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("type").GetString() == "overdue_confirmation"));
        Assert.All(pages, p => Assert.Equal(expected, p.GetProperty("total").GetInt32()));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(100, p.GetProperty("items").GetArrayLength()));
        Assert.Equal(expected, listed.Count);
        Assert.Equal(expected, listed.Distinct().Count());
        Assert.Equal(first.Id.ToString(), pages[0].GetProperty("items")[0].GetProperty("registrationId").GetString());
    }
}
