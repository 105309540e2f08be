using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Occupancy;

// The landlord's workspace at /landlord: pending first, counts, filters, name search, pages, and
// decisions that bring the landlord back to where they were. Each test filters by its own building:
// the class's landlords own the buildings of every test in it.
public sealed partial class LandlordWorkspaceTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [GeneratedRegex("<article class=\"card tenant[^\"]*\" id=\"r-([0-9a-f-]{36})\"[^>]*data-status=\"([a-z_]+)\"")]
    private static partial Regex CardPattern();

    private static List<(Guid Id, string Status)> Cards(string html) =>
        [.. CardPattern().Matches(html).Select(m => (Guid.Parse(m.Groups[1].Value), m.Groups[2].Value))];

    private static string Href(string html, string id) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"href=\"([^\"]+)\"[^>]*id=\"{id}\"").Groups[1].Value);

    // A name no other test uses: the search must find it and nothing else.
    private static string UniqueName(string family) =>
        family + string.Concat(Guid.NewGuid().ToByteArray()[..3].Select(b => (char)(0x4E00 + b * 37)));

    private static Task<RegistrationStatus> StatusAsync(AppFactory app, Guid id) =>
        app.WithDbAsync(db => db.Registrations.Where(r => r.Id == id).Select(r => r.Status).SingleAsync());

    private static Task<uint> VersionAsync(AppFactory app, Guid id) =>
        app.WithDbAsync(db => db.Registrations.Where(r => r.Id == id).Select(r => r.Version).SingleAsync());

    [Fact]
    public async Task PendingComeFirstAndNoPageHoldsMoreThanTwentyAndThePageLinksKeepTheFilter()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 60));
        for (var i = 0; i < 3; i++) await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed);
        for (var i = 0; i < 45; i++)
            await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddMinutes(-100 + i));
        var browser = await app.SignedInBrowserAsync("t.landlord.a");

        var first = await browser.GetStringAsync($"/landlord?building={building.Id}");
        var second = await browser.GetStringAsync(Href(first, "page-next"));
        var last = await browser.GetStringAsync(Href(second, "page-next"));

        Assert.Equal(LandlordWorkspace.PageSize, Cards(first).Count);
        Assert.All(Cards(first), c => Assert.Equal("submitted", c.Status));
        Assert.Equal($"/landlord?building={building.Id}&page=2#list", Href(first, "page-next"));
        Assert.Contains("第 1 / 3 页", first);
        Assert.Contains("共 48 条", first);
        Assert.Equal(LandlordWorkspace.PageSize, Cards(second).Count);
        Assert.Equal(["submitted", "submitted", "submitted", "submitted", "submitted", "confirmed", "confirmed", "confirmed"], Cards(last).Select(c => c.Status));
        Assert.Empty(Cards(first).Select(c => c.Id).Intersect(Cards(second).Select(c => c.Id)));
        Assert.DoesNotContain("id=\"page-next\"", last);
        // Oldest submission first: the nearest deadline leads.
        var submitted = await app.WithDbAsync(db => db.Registrations.Where(r => r.BuildingId == building.Id && r.Status == RegistrationStatus.Submitted)
            .OrderBy(r => r.SubmittedAt).Select(r => r.Id).FirstAsync());
        Assert.Equal(submitted, Cards(first)[0].Id);
    }

    [Fact]
    public async Task TheCountsShowPendingAndConfirmedTenantsOverAllBuildingsAndByBuilding()
    {
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 3), ("102", 2));
        await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted);
        await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed);
        await NewRegistrationAsync(app, building.Id, building.Rooms["102"], RegistrationStatus.Verified);
        await NewRegistrationAsync(app, building.Id, building.Rooms["102"], RegistrationStatus.Ended);

        var html = await browser.GetStringAsync("/landlord");

        var expected = await app.WithDbAsync(async db =>
        {
            var own = db.Registrations.IgnoreQueryFilters().Where(r => r.Building!.Owner!.UserName == "t.landlord.a");
            return (Pending: await own.CountAsync(r => r.Status == RegistrationStatus.Submitted),
                Confirmed: await own.CountAsync(r => (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified) && r.MoveOutDate == null));
        });
        Assert.Contains($"data-pending=\"{expected.Pending}\" data-confirmed=\"{expected.Confirmed}\"", html);
        Assert.Contains($"<li data-building-id=\"{building.Id}\" data-pending=\"1\" data-occupants=\"2\" data-beds=\"5\">", html);
    }

    [Fact]
    public async Task TheStatusAndRoomFiltersNarrowTheListAndTheRoomsShowBedsAndOccupants()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2), ("102", 1));
        var pending = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted);
        var living = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed);
        var other = await NewRegistrationAsync(app, building.Id, building.Rooms["102"], RegistrationStatus.Verified);
        var browser = await app.SignedInBrowserAsync("t.landlord.a");

        var confirmed = Cards(await browser.GetStringAsync($"/landlord?building={building.Id}&status=confirmed"));
        var pendingOnly = Cards(await browser.GetStringAsync($"/landlord?building={building.Id}&status=pending"));
        var room101 = await browser.GetStringAsync($"/landlord?building={building.Id}&room=101");

        Assert.Equal([living.Id, other.Id], confirmed.Select(c => c.Id).Order());
        Assert.Equal([pending.Id], pendingOnly.Select(c => c.Id));
        Assert.Equal([pending.Id, living.Id], Cards(room101).Select(c => c.Id));
        Assert.Contains($"data-room-id=\"{building.Rooms["101"]}\" data-room=\"101\" data-beds=\"2\" data-occupants=\"1\" data-vacancies=\"1\" data-full=\"false\"", room101);
        Assert.Contains($"data-room-id=\"{building.Rooms["102"]}\" data-room=\"102\" data-beds=\"1\" data-occupants=\"1\" data-vacancies=\"0\" data-full=\"true\"", room101);
    }

    [Fact]
    public async Task ANameSearchFindsPartOfANameAmongTheLandlordsOwnTenantsOnly()
    {
        var name = UniqueName("欧阳");
        var mine = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        var theirs = await NewBuildingAsync(app, "t.landlord.b", "T-B-01", ("101", 2));
        var found = await NewRegistrationAsync(app, mine.Id, mine.Rooms["101"], RegistrationStatus.Confirmed, name: name);
        await NewRegistrationAsync(app, mine.Id, mine.Rooms["101"], RegistrationStatus.Submitted, name: "李四");
        var hidden = await NewRegistrationAsync(app, theirs.Id, theirs.Rooms["101"], RegistrationStatus.Submitted, name: name);
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var part = name[1..];

        var search = await browser.GetStringAsync($"/landlord?q={Uri.EscapeDataString(part)}");
        var wildcard = await browser.GetStringAsync($"/landlord?building={mine.Id}&q=%25");
        var otherBuilding = await browser.GetStringAsync($"/landlord?building={theirs.Id}&q={Uri.EscapeDataString(part)}");

        Assert.Equal([found.Id], Cards(search).Select(c => c.Id));
        Assert.DoesNotContain(hidden.Id.ToString(), search);
        Assert.Empty(Cards(wildcard));
        // Another landlord's building in the link is dropped: the search runs over the caller's own.
        Assert.Equal([found.Id], Cards(otherBuilding).Select(c => c.Id));
        Assert.DoesNotContain("id=\"rooms-panel\"", otherBuilding);
        Assert.DoesNotContain(theirs.Code, otherBuilding);
    }

    [Fact]
    public async Task ConfirmingRedirectsToTheSameFilterAndPageWithTheNeighbouringCardAsTheAnchor()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 60));
        for (var i = 0; i < 25; i++)
            await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddMinutes(-100 + i));
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var url = $"/landlord?building={building.Id}&status=pending&page=2";
        var html = await browser.GetStringAsync(url);
        var cards = Cards(html);
        var (chosen, neighbour) = (cards[1].Id, cards[2].Id);

        var response = await browser.PostAsync($"{url}&handler=Confirm", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = chosen.ToString(), ["version"] = (await VersionAsync(app, chosen)).ToString(), ["next"] = neighbour.ToString(),
            ["__RequestVerificationToken"] = CookieSignIn.AntiForgeryToken(html),
        }));
        var after = await browser.GetStringAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{url}#r-{neighbour}", response.Headers.Location!.OriginalString);
        Assert.Equal(RegistrationStatus.Confirmed, await StatusAsync(app, chosen));
        Assert.Contains("已确认登记。", after);
        Assert.DoesNotContain(chosen.ToString(), after);
        Assert.Contains($"id=\"r-{neighbour}\"", after);
    }

    [Fact]
    public async Task RejectingFromTheListNeedsAReasonShownInTheCardAndThenReturnsToTheSamePlace()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 4));
        var first = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddHours(-3));
        var second = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddHours(-2));
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var url = $"/landlord?building={building.Id}";
        var html = await browser.GetStringAsync(url);
        FormUrlEncodedContent Form(string reason) => new(new Dictionary<string, string>
        {
            ["id"] = first.Id.ToString(), ["next"] = second.Id.ToString(), ["reason"] = reason, ["text"] = "",
            ["__RequestVerificationToken"] = CookieSignIn.AntiForgeryToken(html),
        });

        var refused = await browser.PostAsync($"{url}&handler=Reject", Form(""));
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        var stillPending = await StatusAsync(app, first.Id);
        var rejected = await browser.PostAsync($"{url}&handler=Reject", Form("not_a_tenant"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Matches($"id=\"r-{first.Id}\"[\\s\\S]*<details class=\"reject\" open=\"open\">[\\s\\S]*请从列表中选择拒绝原因", refusedHtml);
        Assert.Equal(RegistrationStatus.Submitted, stillPending);
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Equal($"{url}#r-{second.Id}", rejected.Headers.Location!.OriginalString);
        Assert.Equal(RegistrationStatus.Rejected, await StatusAsync(app, first.Id));
    }

    [Fact]
    public async Task ConfirmingIntoAFullRoomAsksFirstAndTheConfirmedOvercrowdingReachesThePoliceQueue()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("301", 1));
        var roomId = building.Rooms["301"];
        await NewRegistrationAsync(app, building.Id, roomId, RegistrationStatus.Confirmed);
        var pending = await NewRegistrationAsync(app, building.Id, roomId, RegistrationStatus.Submitted, name: "韩梅梅");
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var url = $"/landlord?building={building.Id}";
        var html = await browser.GetStringAsync(url);
        var version = (await VersionAsync(app, pending.Id)).ToString();
        FormUrlEncodedContent Form(string? full) => new(new Dictionary<string, string>
        {
            ["id"] = pending.Id.ToString(), ["version"] = version, ["full"] = full ?? "",
            ["__RequestVerificationToken"] = CookieSignIn.AntiForgeryToken(html),
        });
        var officer = await app.SignedInClientAsync("t.officer.a");
        async Task<JsonElement?> FlagAsync()
        {
            var queue = await officer.GetFromJsonAsync<JsonElement>("/api/police/queue?grid=T-A-01");
            return queue.GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("type").GetString() == "overcrowded_room" && i.GetProperty("roomId").GetInt64() == roomId)
                .Select(i => (JsonElement?)i).FirstOrDefault();
        }

        Assert.Contains($"data-registration-id=\"{pending.Id}\" data-overdue=\"false\" data-status=\"submitted\" data-room-full=\"true\"", html);
        var asked = await browser.PostAsync($"{url}&handler=Confirm", Form(null));
        var question = await asked.Content.ReadAsStringAsync();
        var statusAfterQuestion = await StatusAsync(app, pending.Id);
        var flagBefore = await FlagAsync();
        var confirmed = await browser.PostAsync($"{url}&handler=Confirm", Form(IndexModelAcknowledge));
        var message = await browser.GetStringAsync(url);
        var flag = await FlagAsync();

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("房间 301 有 1 个床位、已住 1 人。仍要确认韩梅梅入住吗？", question);
        Assert.Contains("id=\"confirm-anyway\"", question);
        Assert.Equal(RegistrationStatus.Submitted, statusAfterQuestion);
        Assert.Null(flagBefore);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(RegistrationStatus.Confirmed, await StatusAsync(app, pending.Id));
        Assert.Contains("房间 301 现已超员", message);
        Assert.Contains("data-room=\"301\" data-beds=\"1\" data-occupants=\"2\" data-vacancies=\"0\" data-full=\"true\"", message);
        Assert.NotNull(flag);
        Assert.Equal(2, flag!.Value.GetProperty("occupants").GetInt32());
        Assert.Equal(1, flag.Value.GetProperty("beds").GetInt32());
    }

    private const string IndexModelAcknowledge = SmartDoorplate.Occupancy.Landlord.IndexModel.AcknowledgeFull;

    [Fact]
    public async Task ARoomWithAFreeBedIsConfirmedAtOnceWithoutTheSecondStep()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("302", 2));
        await NewRegistrationAsync(app, building.Id, building.Rooms["302"], RegistrationStatus.Confirmed);
        var pending = await NewRegistrationAsync(app, building.Id, building.Rooms["302"], RegistrationStatus.Submitted);
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var html = await browser.GetStringAsync($"/landlord?building={building.Id}");

        var response = await browser.PostAsync($"/landlord?building={building.Id}&handler=Confirm", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = pending.Id.ToString(), ["__RequestVerificationToken"] = CookieSignIn.AntiForgeryToken(html),
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(RegistrationStatus.Confirmed, await StatusAsync(app, pending.Id));
    }

    [Fact]
    public async Task TheTenantFormMarksTheRoomsWithNoFreeBed()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("401", 1), ("402", 2), ("403", 0));
        await NewRegistrationAsync(app, building.Id, building.Rooms["401"], RegistrationStatus.Confirmed);
        await NewRegistrationAsync(app, building.Id, building.Rooms["402"], RegistrationStatus.Confirmed);
        await NewRegistrationAsync(app, building.Id, building.Rooms["402"], RegistrationStatus.Submitted);
        var tenant = app.CreateClient();

        var zh = await tenant.GetStringAsync($"/d/{building.PlateCode}/register");
        var en = await tenant.GetStringAsync($"/d/{building.PlateCode}/register?lang=en");

        Assert.Contains("<option value=\"401\">401（已满）</option>", zh);
        Assert.Contains("<option value=\"402\">402</option>", zh);
        Assert.Contains("<option value=\"403\">403（已满）</option>", zh);
        Assert.Contains("<option value=\"401\">401 (full)</option>", en);
    }
}
