using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Accounts.Pages;
using SmartDoorplate.Audit;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Occupancy;

namespace SmartDoorplate.Web.Tests.Accounts;

// The admin console's pages through the real pipeline: forms posted with the page's anti-forgery
// token as a browser posts them, the database and the audit trail read back. Each test makes the
// accounts and files it works on, under names of its own.
public sealed class AdminConsoleTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static string NewName(string prefix) => $"{prefix}.{Guid.NewGuid():N}"[..30];

    // GET the page for its token, then POST the form to the action, as a browser submits it.
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string page, string action, IDictionary<string, string> fields)
    {
        var token = CookieSignIn.AntiForgeryToken(await browser.GetStringAsync(page));
        Assert.NotEmpty(token);
        return await browser.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    private static Dictionary<string, string> NewAccountForm(string userName, string role = "police_officer", string password = "Console-pass-2026") => new()
    {
        ["Input.Username"] = userName, ["Input.DisplayName"] = "控制台测试", ["Input.Role"] = role, ["Input.Password"] = password,
        ["Input.StationCode"] = "T-A",
    };

    private Task<int> CountAsync(AuditAction action, string targetId) =>
        app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == action.Code && e.TargetId == targetId));

    private Task<long> IdOfAsync(string userName) => app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    private async Task<HttpStatusCode> SignInStatusAsync(string userName, string password)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = userName, password });
        return response.StatusCode;
    }

    [Fact]
    public async Task AnAdminCreatesAnAccountFromThePageAndItsOwnerCanSignIn()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var name = NewName("console.new");

        var response = await PostFormAsync(admin, "/accounts", "/accounts?handler=Create", NewAccountForm(name));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/accounts?done=created&q={name}", response.Headers.Location?.OriginalString);
        var listed = await admin.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("账号已创建", listed);
        Assert.Contains($"data-user=\"{name}\"", listed);
        var user = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == name));
        Assert.Equal((Role.PoliceOfficer, app.World.StationA), (user.Role, user.StationId));
        Assert.Equal(1, await CountAsync(AuditActions.AccountCreated, user.Id.ToString()));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(name, "Console-pass-2026"));
    }

    [Fact]
    public async Task TheAccountListComesInPagesOfFiftyByUserName()
    {
        var api = await app.SignedInClientAsync("t.admin");
        var prefix = "pg" + Guid.NewGuid().ToString("N")[..6];
        var names = Enumerable.Range(0, AccountsModel.PageSize + 3).Select(i => $"{prefix}.{i:D3}").ToList();
        foreach (var name in names)
        {
            var created = await api.PostAsJsonAsync("/api/accounts", new { username = name, displayName = "分页", role = "landlord", password = "Paging-pass-2026" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var admin = await app.SignedInBrowserAsync("t.admin");

        var first = await admin.GetStringAsync($"/accounts?q={prefix}");
        var next = System.Text.RegularExpressions.Regex.Match(first, "<a href=\"([^\"]+)\" id=\"next-page\"").Groups[1].Value;
        var second = await admin.GetStringAsync(System.Net.WebUtility.HtmlDecode(next));

        Assert.Equal(names.Take(AccountsModel.PageSize), Listed(first));
        Assert.Equal(names.Skip(AccountsModel.PageSize), Listed(second));
        Assert.DoesNotContain("id=\"next-page\"", second);

        static IEnumerable<string> Listed(string html) =>
            System.Text.RegularExpressions.Regex.Matches(html, "<tr data-user=\"([^\"]+)\">").Select(m => m.Groups[1].Value);
    }

    [Fact]
    public async Task ABadNewAccountIsShownAgainWithEachFieldsErrorAndASummaryAndNothingIsStored()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var before = await app.WithDbAsync(db => db.Users.CountAsync());

        var response = await PostFormAsync(admin, "/accounts", "/accounts?handler=Create", new Dictionary<string, string>
        {
            ["Input.Username"] = "X", ["Input.DisplayName"] = "", ["Input.Role"] = "sheriff", ["Input.Password"] = "short",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"error-summary\"", html);
        foreach (var field in new[] { "username", "displayName", "role", "password" })
        {
            Assert.Contains($"<li><a href=\"#{field}\">", html);
            Assert.Contains($"id=\"{field}-error\"", html);
            Assert.Matches($"id=\"{field}\"[^>]*aria-invalid=\"true\"", html);
        }
        Assert.Contains("The user name must be", html);
        Assert.Contains("密码须为 10–256 位", html);
        Assert.DoesNotContain("value=\"short\"", html);
        Assert.Equal(before, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task ATakenUserNameIsTheUserNamesErrorOnThePage()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");

        var response = await PostFormAsync(admin, "/accounts", "/accounts?handler=Create", NewAccountForm("t.officer.a"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("用户名已存在 / The user name is taken", html);
        Assert.Contains("<li><a href=\"#username\">", html);
    }

    [Fact]
    public async Task DisablingFromThePageEndsTheUsersSessionAndEnablingLetsThemBackEachAudited()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var name = NewName("console.off");
        await PostFormAsync(admin, "/accounts", "/accounts?handler=Create", NewAccountForm(name));
        var id = await IdOfAsync(name);
        var user = await app.SignedInClientAsync(name, "Console-pass-2026");
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/auth/me")).StatusCode);

        var disabled = await PostFormAsync(admin, "/accounts", $"/accounts?handler=Disable&id={id}", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(name, "Console-pass-2026"));
        Assert.Contains("已停用 Disabled", await admin.GetStringAsync($"/accounts?q={name}"));

        var enabled = await PostFormAsync(admin, "/accounts", $"/accounts?handler=Enable&id={id}", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(name, "Console-pass-2026"));
        Assert.Equal(1, await CountAsync(AuditActions.AccountDisabled, id.ToString()));
        Assert.Equal(1, await CountAsync(AuditActions.AccountEnabled, id.ToString()));
    }

    [Fact]
    public async Task EndingSessionsAndUnlockingFromThePageAreAudited()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var name = NewName("console.end");
        await PostFormAsync(admin, "/accounts", "/accounts?handler=Create", NewAccountForm(name));
        var id = await IdOfAsync(name);
        var user = await app.SignedInClientAsync(name, "Console-pass-2026");

        var ended = await PostFormAsync(admin, "/accounts", $"/accounts?handler=EndSessions&id={id}", new Dictionary<string, string>());
        var unlocked = await PostFormAsync(admin, "/accounts", $"/accounts?handler=Unlock&id={id}", new Dictionary<string, string>());

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (ended.StatusCode, unlocked.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(1, await CountAsync(AuditActions.SessionsEnded, id.ToString()));
        Assert.Equal(1, await CountAsync(AuditActions.AccountUnlocked, id.ToString()));
        Assert.Equal(HttpStatusCode.NotFound,
            (await PostFormAsync(admin, "/accounts", "/accounts?handler=Disable&id=987654321", new Dictionary<string, string>())).StatusCode);
    }

    [Fact]
    public async Task AResetPasswordReplacesTheOldOneAndEndsTheSessionsAndABadOneChangesNothing()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var name = NewName("console.pw");
        await PostFormAsync(admin, "/accounts", "/accounts?handler=Create", NewAccountForm(name));
        var id = await IdOfAsync(name);
        var user = await app.SignedInClientAsync(name, "Console-pass-2026");
        var page = $"/accounts/{id}/password";

        var tooShort = await PostFormAsync(admin, page, page, new Dictionary<string, string> { ["Password"] = "short", ["Repeat"] = "short" });
        var differ = await PostFormAsync(admin, page, page, new Dictionary<string, string> { ["Password"] = "Brand-new-pass-1", ["Repeat"] = "Brand-new-pass-2" });
        var differHtml = await differ.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (tooShort.StatusCode, differ.StatusCode));
        Assert.Contains("<li><a href=\"#password\">", await tooShort.Content.ReadAsStringAsync());
        Assert.Contains("<li><a href=\"#repeat\">两次输入的密码不一致 / The two passwords differ</a></li>", differHtml);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(0, await CountAsync(AuditActions.PasswordReset, id.ToString()));

        var reset = await PostFormAsync(admin, page, page, new Dictionary<string, string> { ["Password"] = "Brand-new-pass-1", ["Repeat"] = "Brand-new-pass-1" });

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(name, "Console-pass-2026"));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(name, "Brand-new-pass-1"));
        var audited = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditActions.PasswordReset.Code && e.TargetId == id.ToString()));
        Assert.DoesNotContain("Brand-new-pass", audited.Details ?? "");
    }

    [Fact]
    public async Task TheResetPasswordApiAnswersFieldErrorsAndNotFound()
    {
        var admin = await app.SignedInClientAsync("t.admin");
        var officer = await app.SignedInClientAsync("t.officer.a");
        var id = await IdOfAsync("t.landlord.b");

        var bad = await admin.PostAsJsonAsync($"/api/accounts/{id}/password", new { password = "short" });
        var unknown = await admin.PostAsJsonAsync("/api/accounts/987654321/password", new { password = "Long-enough-pass" });
        var forbidden = await officer.PostAsJsonAsync($"/api/accounts/{id}/password", new { password = "Long-enough-pass" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync("t.landlord.b", TestWorld.Password));
    }

    [Theory]
    [InlineData("/accounts")]
    [InlineData("/watch-list")]
    [InlineData("/plates")]
    [InlineData("/stations")]
    public async Task AnOfficerIsShownTheForbiddenPageAndAStrangerTheSignIn(string path)
    {
        var officer = await app.SignedInBrowserAsync("t.officer.a");
        var stranger = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var denied = await officer.GetAsync(path);
        var anonymous = await stranger.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/denied", denied.Headers.Location!.PathAndQuery);
        var page = await officer.GetAsync(denied.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("无权访问此页", await page.Content.ReadAsStringAsync());
        Assert.StartsWith("/login", anonymous.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnOfficersPostedFormChangesNothing()
    {
        var officer = await app.SignedInBrowserAsync("t.officer.a");
        // The officer's own token, from the meta tag every signed-in page carries.
        var html = await officer.GetStringAsync("/police/map");
        var token = System.Text.RegularExpressions.Regex.Match(html, $"<meta name=\"{CookieAntiforgery.MetaName}\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        var name = NewName("console.evil");

        var response = await officer.PostAsync("/accounts?handler=Create",
            new FormUrlEncodedContent(new Dictionary<string, string>(NewAccountForm(name)) { ["__RequestVerificationToken"] = token }));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location?.PathAndQuery ?? "/account/denied");
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == name)));
    }

    [Fact]
    public async Task AnAdminOpensThePoliceMapAndStatisticsCityWideButNotTheLandlordsPages()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");

        var map = await admin.GetAsync("/police/map");
        var statistics = await admin.GetStringAsync("/police/statistics");
        var landlord = await admin.GetAsync("/landlord");

        Assert.Equal(HttpStatusCode.OK, map.StatusCode);
        var html = await map.Content.ReadAsStringAsync();
        Assert.Contains("id=\"queue\" class=\"map-queue\" aria-label=\"待办队列\" data-state=\"off\"", html);
        Assert.Contains("class=\"console-nav\"", html);
        // Both stations' grids: the admin's statistics are the city's.
        Assert.Contains("<option value=\"T-A-01\"", statistics);
        Assert.Contains("<option value=\"T-B-01\"", statistics);
        Assert.Equal(HttpStatusCode.Redirect, landlord.StatusCode);
        Assert.StartsWith("/account/denied", landlord.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnOfficersMapKeepsTheQueueAndShowsNoConsoleLinks()
    {
        var officer = await app.SignedInBrowserAsync("t.officer.a");

        var html = await officer.GetStringAsync("/police/map");

        Assert.Contains("data-state=\"loading\"", html);
        Assert.DoesNotContain("console-nav", html);
    }

    // ── watch list ──

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient browser, string text, string fileName = "wanted.csv")
    {
        var token = CookieSignIn.AntiForgeryToken(await browser.GetStringAsync("/watch-list"));
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var form = new MultipartFormDataContent { { file, "file", fileName }, { new StringContent(token), "__RequestVerificationToken" } };
        return await browser.PostAsync("/watch-list?handler=Upload", form);
    }

    [Fact]
    public async Task AnAdminUploadsAWatchListFromThePageAndSeesItMaskedAndCanRemoveAnEntry()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var first = OccupancyData.NewIdNumber("110101");
        var second = OccupancyData.NewIdNumber("110101");
        var reference = "WL-" + Guid.NewGuid().ToString("N")[..8];

        var response = await UploadAsync(admin, $"id_number,reference,reason\n{first},{reference},测试\n{second},{reference},测试\n");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"upload-result\"", html);
        Assert.Contains("新增 2 条", html);
        Assert.DoesNotContain(first, html);
        var listed = await admin.GetStringAsync("/watch-list");
        Assert.Contains(reference, listed);
        Assert.DoesNotContain(first, listed);
        Assert.DoesNotContain(first[..6] + first[14..], listed);
        var entryId = await app.WithDbAsync(db => db.WatchEntries.Where(e => e.Reference == reference).OrderBy(e => e.Id).Select(e => e.Id).FirstAsync());
        var upload = await app.WithDbAsync(db => db.WatchEntries.Where(e => e.Id == entryId).Select(e => e.UploadId).SingleAsync());
        Assert.Equal(1, await CountAsync(AuditActions.WatchListUpload, upload.ToString("D")));

        var token = CookieSignIn.AntiForgeryToken(listed);
        var removed = await admin.PostAsync($"/watch-list?handler=Remove&id={entryId}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.NotNull(await app.WithDbAsync(db => db.WatchEntries.Where(e => e.Id == entryId).Select(e => e.RemovedAt).SingleAsync()));
        Assert.Equal(1, await CountAsync(AuditActions.WatchListRemove, entryId.ToString()));
    }

    [Fact]
    public async Task ABadWatchListFileIsRefusedWholeWithItsLinesAndNothingIsStored()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var before = await app.WithDbAsync(db => db.WatchEntries.CountAsync());

        var response = await UploadAsync(admin, OccupancyData.NewIdNumber() + "\n110101199001011234\n");
        var empty = await UploadAsync(admin, "");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"error-summary\"", html);
        Assert.Contains("<li><a href=\"#file\">布控名单有误，未保存任何条目", html);
        Assert.Contains("第 2 行", html);
        Assert.Matches("id=\"file\"[^>]*aria-invalid=\"true\"", html);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("请上传名单文件", await empty.Content.ReadAsStringAsync());
        Assert.Equal(before, await app.WithDbAsync(db => db.WatchEntries.CountAsync()));
    }

    // ── plates ──

    [Fact]
    public async Task AnAdminPrintsAGridsPlatesFromThePageAsAnAuditedPdf()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var before = await CountAsync(AuditActions.DoorplatesPrinted, "T-A-01");

        var response = await PostFormAsync(admin, "/plates", "/plates", new Dictionary<string, string> { ["Grid"] = "T-A-01" });
        var pdf = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.Equal("doorplates-T-A-01.pdf", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(before + 1, await CountAsync(AuditActions.DoorplatesPrinted, "T-A-01"));
    }

    [Theory]
    [InlineData("", "", "grid", "二选一")]
    [InlineData("T-A-01", "T-A-0001", "grid", "二选一")]
    [InlineData("NO-SUCH-GRID", "", "grid", "网格不存在")]
    [InlineData("", "T-A-0001, NO-SUCH-BUILDING", "buildings", "NO-SUCH-BUILDING")]
    public async Task ABadPrintRequestShowsTheFieldsErrorAndIssuesNothing(string grid, string buildings, string field, string message)
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var plates = await app.WithDbAsync(db => db.Doorplates.CountAsync());
        var printed = await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditActions.DoorplatesPrinted.Code));

        var response = await PostFormAsync(admin, "/plates", "/plates", new Dictionary<string, string> { ["Grid"] = grid, ["Buildings"] = buildings });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<li><a href=\"#{field}\">", html);
        Assert.Contains(message, html);
        Assert.Equal(plates, await app.WithDbAsync(db => db.Doorplates.CountAsync()));
        Assert.Equal(printed, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditActions.DoorplatesPrinted.Code)));
    }

    // ── stations ──

    [Fact]
    public async Task TheStationsPageCountsEachStationAndItsGrids()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var expected = await app.WithDbAsync(async db => new
        {
            Buildings = await db.Buildings.CountAsync(b => b.Grid!.Code == "T-A-01"),
            Residents = await db.BuildingCounts.Where(c => c.Building!.Grid!.Code == "T-A-01").SumAsync(c => c.Residents),
            Officers = await db.Users.CountAsync(u => u.StationId == app.World.StationA && u.DisabledAt == null),
        });

        var all = await admin.GetStringAsync("/stations");
        var one = await admin.GetStringAsync("/stations?station=T-A");
        var unknown = await admin.GetAsync("/stations?station=NOPE");

        Assert.Contains("测试甲派出所", all);
        Assert.Contains("测试乙派出所", all);
        Assert.Contains($"<td>1</td><td>{expected.Buildings}</td><td>{expected.Residents}</td>", one[one.IndexOf("测试甲派出所", StringComparison.Ordinal)..]);
        Assert.Contains($"<td>{expected.Officers}</td>", one);
        Assert.Contains("id=\"grid-counts\"", one);
        Assert.Contains("甲网格", one[one.IndexOf("id=\"grid-counts\"", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("乙网格", one[one.IndexOf("id=\"grid-counts\"", StringComparison.Ordinal)..]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
