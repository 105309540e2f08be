using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Audit;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

// One database for the class: each test writes events about targets of its own and filters by them.
public sealed class AuditBrowsingTests(AppFactory app) : IClassFixture<AppFactory>
{
    private readonly WebApplicationFactory<Program> web = app.WithTestAuthentication();

    [Theory]
    [InlineData("/api/audit")]
    [InlineData("/audit")]
    public async Task AnAnonymousCallerIsAskedToSignIn(string path)
    {
        var response = await web.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("police_officer", "/api/audit")]
    [InlineData("landlord", "/api/audit")]
    [InlineData("police_officer", "/audit")]
    public async Task OnlyStationChiefsAndAdminsMayReadTheAuditLog(string role, string path)
    {
        var response = await web.CreateClientAs(role, organisation: "测试派出所").GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnAdminSeesTheEventsAboutARecordNewestFirst()
    {
        var person = NewTargetId();
        await AppendAsync(At("2026-03-01T09:00"), "person_view", person, actorName: "police.a");
        await AppendAsync(At("2026-03-01T10:00"), "person_reveal", person, actorName: "police.a", purpose: "核实身份");
        await AppendAsync(At("2026-03-02T08:00"), "registration_change", person, actorName: "landlord.a", actorRole: "landlord", organisation: null);

        var page = await GetPageAsync("admin", $"targetType=person&targetId={person}");

        Assert.Equal(["registration_change", "person_reveal", "person_view"], page.Items.Select(e => e.Action));
        Assert.True(page.Items[0].Id > page.Items[1].Id && page.Items[1].Id > page.Items[2].Id);
        Assert.Equal("核实身份", page.Items[1].Purpose);
        Assert.Equal("police.a", page.Items[1].ActorName);
        Assert.Equal(2, page.Items[1].Details?.GetProperty("n").GetInt32());
        Assert.False(page.HasNextPage);
    }

    [Fact]
    public async Task FiltersForActionActorAndBeijingDaysCombine()
    {
        var person = NewTargetId();
        var expected = await AppendAsync(At("2026-03-01T23:30"), "person_view", person, actorName: "police.a");
        await AppendAsync(At("2026-03-02T00:10"), "person_view", person, actorName: "police.a");      // the next day in Beijing
        await AppendAsync(At("2026-02-28T23:59"), "person_view", person, actorName: "police.a");      // the day before
        await AppendAsync(At("2026-03-01T12:00"), "person_reveal", person, actorName: "police.a");
        await AppendAsync(At("2026-03-01T12:00"), "person_view", person, actorName: "police.b");

        var page = await GetPageAsync("admin", $"targetId={person}&action=person_view&actor=police.a&from=2026-03-01&to=2026-03-01");

        Assert.Equal([expected], page.Items.Select(e => e.Id));
    }

    [Fact]
    public async Task TheActorFilterTakesAUserIdOrTheStartOfAUserName()
    {
        var person = NewTargetId();
        await AppendAsync(At("2026-03-01T09:00"), "person_view", person, actorName: "police.gaicha", actorUserId: 4711);
        await AppendAsync(At("2026-03-01T09:05"), "person_view", person, actorName: "police.other", actorUserId: 4712);
        await AppendAsync(At("2026-03-01T09:10"), "person_view", person, actorName: "landlord.demo", actorUserId: 4713);

        var byId = await GetPageAsync("admin", $"targetId={person}&actor=4712");
        var byPrefix = await GetPageAsync("admin", $"targetId={person}&actor=POLICE.");

        Assert.Equal(["police.other"], byId.Items.Select(e => e.ActorName));
        Assert.Equal(["police.other", "police.gaicha"], byPrefix.Items.Select(e => e.ActorName));
    }

    [Fact]
    public async Task AStationChiefSeesOnlyWhatTheirOwnOrganisationDid()
    {
        var person = NewTargetId();
        var own = await AppendAsync(At("2026-03-01T09:00"), "person_view", person, organisation: "南明派出所");
        await AppendAsync(At("2026-03-01T09:05"), "person_view", person, organisation: "云岩派出所");
        await AppendAsync(At("2026-03-01T09:10"), "registration_change", person, actorRole: "anonymous", organisation: null);

        var chief = await GetPageAsync("station_chief", $"targetId={person}", organisation: "南明派出所");
        var chiefWithoutOrganisation = await GetPageAsync("station_chief", $"targetId={person}");
        var admin = await GetPageAsync("admin", $"targetId={person}");

        Assert.Equal([own], chief.Items.Select(e => e.Id));
        Assert.Empty(chiefWithoutOrganisation.Items);
        Assert.Equal(3, admin.Items.Count);
    }

    [Fact]
    public async Task PagesHoldFiftyEventsAndSayWhetherMoreFollow()
    {
        var person = NewTargetId();
        var ids = new List<long>();
        for (var i = 0; i < 51; i++) ids.Add(await AppendAsync(At("2026-03-01T09:00").AddMinutes(i), "person_view", person));

        var first = await GetPageAsync("admin", $"targetId={person}");
        var second = await GetPageAsync("admin", $"targetId={person}&page=2");

        Assert.Equal((1, 50, true), (first.Page, first.Items.Count, first.HasNextPage));
        Assert.Equal(ids[50], first.Items[0].Id);
        Assert.Equal((2, false), (second.Page, second.HasNextPage));
        Assert.Equal([ids[0]], second.Items.Select(e => e.Id));
    }

    [Fact]
    public async Task PageZeroIsAValidationProblem()
    {
        var response = await web.CreateClientAs("admin").GetAsync("/api/audit?page=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _));
    }

    [Fact]
    public async Task ReadingTheAuditLogIsItselfAudited()
    {
        var person = NewTargetId();

        await GetPageAsync("admin", $"targetId={person}", userId: 9001);

        var recorded = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditActions.AuditSearch.Code && e.ActorUserId == 9001).ToListAsync());
        var search = Assert.Single(recorded);
        Assert.Equal("admin", search.ActorRole);
        Assert.Contains(person, search.Details);
    }

    [Fact]
    public async Task TheAuditPageShowsAFilteredTableWithChineseLabels()
    {
        var person = NewTargetId();
        var other = NewTargetId();
        await AppendAsync(At("2026-03-01T09:00"), "person_view", person, actorName: "police.gaicha", organisation: "改茶村警务室");
        await AppendAsync(At("2026-03-01T09:00"), "person_view", other, actorName: "police.gaicha");

        var response = await web.CreateClientAs("admin").GetAsync($"/audit?targetType=person&targetId={person}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("审计日志", html);
        Assert.Contains("查看人员", html);
        Assert.Contains("改茶村警务室", html);
        Assert.Contains("2026-03-01 09:00:00", html);
        Assert.Contains(person, html);
        Assert.DoesNotContain(other, html);
    }

    [Fact]
    public async Task TheAuditPageNamesActionsAndOffersEveryOneByItsLabelsInItsFilter()
    {
        var person = NewTargetId();
        await AppendAsync(At("2026-03-01T09:00"), AuditActions.PersonReveal.Code, person);
        await AppendAsync(At("2026-03-01T09:05"), AuditActions.PersonView.Code, person);

        var html = await (await web.CreateClientAs("admin").GetAsync($"/audit?targetId={person}&action=person_reveal")).Content.ReadAsStringAsync();
        var rows = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..];

        Assert.Contains("<td title=\"person_reveal\">显示完整证件号/电话 <small>ID number or phone shown in full</small></td>", rows);
        Assert.DoesNotContain("查看人员", rows);
        Assert.Contains("<option value=\"person_reveal\" selected=\"selected\">显示完整证件号/电话 · ID number or phone shown in full</option>", html);
        Assert.All(AuditActions.All, action => Assert.Contains($"<option value=\"{action.Code}\"", html));
    }

    [Fact]
    public async Task TheAuditPageIsStyledByAStylesheetTheContentSecurityPolicyAllows()
    {
        var client = web.CreateClientAs("admin");
        var response = await client.GetAsync("/audit");
        var html = await response.Content.ReadAsStringAsync();

        // The CSP allows style-src 'self' only: an inline <style> or style="" would be dropped by the browser.
        Assert.Contains("style-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        var stylesheet = System.Text.RegularExpressions.Regex.Match(html, "<link rel=\"stylesheet\" href=\"(/css/audit\\.css[^\"]*)\"");
        Assert.True(stylesheet.Success, "the audit page links /css/audit.css");
        var css = await client.GetAsync(System.Net.WebUtility.HtmlDecode(stylesheet.Groups[1].Value));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("border-collapse", await css.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("登录")]
    [InlineData("SIGN")]
    public async Task TheLabelFilterFindsTheActionsWhoseChineseOrEnglishNameHoldsIt(string label)
    {
        var person = NewTargetId();
        var signIn = await AppendAsync(At("2026-03-01T09:00"), AuditActions.SignIn.Code, person);
        var signOut = await AppendAsync(At("2026-03-01T09:01"), AuditActions.SignOut.Code, person);
        await AppendAsync(At("2026-03-01T09:02"), AuditActions.PersonView.Code, person);

        var page = await GetPageAsync("admin", $"targetId={person}&label={Uri.EscapeDataString(label)}");

        Assert.Equal([signOut, signIn], page.Items.Select(e => e.Id));
        Assert.All(page.Items, e => Assert.Contains(label, AuditActions.Find(e.Action)!.Chinese + AuditActions.Find(e.Action)!.English.ToUpperInvariant()));
    }

    [Fact]
    public async Task TheAuditPageSaysWhenNoActionsNameHoldsTheLabel()
    {
        var person = NewTargetId();
        await AppendAsync(At("2026-03-01T09:00"), AuditActions.PersonView.Code, person);

        var response = await web.CreateClientAs("admin").GetAsync($"/audit?targetId={person}&label=%E5%90%83%E9%A5%AD");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<li><a href=\"#label\">没有名称含“吃饭”的操作", html);
        Assert.Contains("没有符合条件的记录", html);
    }

    [Fact]
    public async Task KeysetPagesWalkOlderAndBackNewerWithoutGapsOrRepeats()
    {
        var person = NewTargetId();
        var ids = new List<long>();
        for (var i = 0; i < 25; i++) ids.Add(await AppendAsync(At("2026-03-01T09:00").AddMinutes(i), "person_view", person));
        ids.Reverse();

        var first = await GetPageAsync("admin", $"targetId={person}&size=10");
        var second = await GetPageAsync("admin", $"targetId={person}&size=10&before={first.NextBefore}");
        var third = await GetPageAsync("admin", $"targetId={person}&size=10&before={second.NextBefore}");
        var back = await GetPageAsync("admin", $"targetId={person}&size=10&after={third.PreviousAfter}");

        Assert.Equal(ids, first.Items.Concat(second.Items).Concat(third.Items).Select(e => e.Id));
        Assert.Null(first.PreviousAfter);
        Assert.Null(third.NextBefore);
        Assert.False(third.HasNextPage);
        Assert.Equal(second.Items.Select(e => e.Id), back.Items.Select(e => e.Id));
        Assert.Equal(second.Items[0].Id, back.PreviousAfter);
    }

    [Theory]
    [InlineData("size=0", "size")]
    [InlineData("size=101", "size")]
    [InlineData("before=5&after=3", "before")]
    [InlineData("page=2&before=5", "page")]
    public async Task APageSizeOutOfBoundsOrMixedCursorsAreValidationProblems(string query, string field)
    {
        var response = await web.CreateClientAs("admin").GetAsync("/api/audit?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task TheAuditPageLinksOlderAndNewerPagesByCursor()
    {
        var person = NewTargetId();
        for (var i = 0; i < 3; i++) await AppendAsync(At("2026-03-01T09:00").AddMinutes(i), "person_view", person);
        var client = web.CreateClientAs("admin");

        var first = await client.GetStringAsync($"/audit?targetId={person}&size=2");
        var older = System.Text.RegularExpressions.Regex.Match(first, "<a href=\"([^\"]+)\" id=\"older\"");
        Assert.True(older.Success);
        var second = await client.GetStringAsync(System.Net.WebUtility.HtmlDecode(older.Groups[1].Value));

        Assert.DoesNotContain("id=\"newer\"", first);
        Assert.Contains("id=\"newer\"", second);
        Assert.DoesNotContain("id=\"older\"", second);
        Assert.Contains("class=\"site-header\"", first);
    }

    private static string NewTargetId() => Guid.NewGuid().ToString("D");

    // Beijing wall-clock time, as a station chief reads it.
    private static DateTimeOffset At(string beijingTime) =>
        new(DateTime.Parse(beijingTime, System.Globalization.CultureInfo.InvariantCulture), SmartDoorplate.Localization.ChinaTime.Offset);

    private async Task<long> AppendAsync(DateTimeOffset at, string action, string personId, string actorName = "police.test",
        string actorRole = "police_officer", string? organisation = "测试派出所", long? actorUserId = 77, string? purpose = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(new AuditEvent
        {
            At = AuditHash.Truncate(at),
            ActorUserId = actorUserId,
            ActorName = actorName,
            ActorRole = actorRole,
            ActorOrganisation = organisation,
            Action = action,
            TargetType = AuditTargets.Person,
            TargetId = personId,
            Purpose = purpose,
            Details = """{"n": 2}""",
        }, CancellationToken.None);
        return await app.WithDbAsync(db => db.AuditEvents.Where(e => e.TargetId == personId).MaxAsync(e => e.Id));
    }

    private async Task<AuditEventPage> GetPageAsync(string role, string query, string? organisation = null, long userId = 1)
    {
        var response = await web.CreateClientAs(role, userId, organisation: organisation).GetAsync("/api/audit?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AuditEventPage>())!;
    }
}
