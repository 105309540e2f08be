using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Map;
using SmartDoorplate.Web.Tests.Occupancy;

namespace SmartDoorplate.Web.Tests.Browser;

// The admin at a desk does the console's work from its pages alone (no API call by hand): creates an
// account, uploads a watch list and prints a grid's plates, then reads it all in the audit log. The
// same pages on a phone fit its width. Chromium reports CSP violations and failed requests as console
// errors, so an empty error list also says the strict CSP held.
public sealed class AdminConsoleBrowserTests(MapBrowserFixture app) : IClassFixture<MapBrowserFixture>
{
    private const string SmallGrid = "520103100207-06";
    private static readonly string[] ConsolePages = ["/accounts", "/watch-list", "/plates", "/stations", "/audit"];

    private static string Shot(string name) => Path.Combine(BrowserFixture.ArtifactDirectory, name);

    private static void CollectErrors(IPage page, ConcurrentQueue<string> errors)
    {
        page.PageError += (_, error) => errors.Enqueue(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Enqueue($"{message.Text} ({message.Location})"); };
    }

    private static async Task SignInAsAdminAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/accounts");
    }

    [Fact]
    public async Task TheAdminCreatesAnAccountUploadsAWatchListAndPrintsAGridsPlatesFromThePagesAlone()
    {
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        CollectErrors(page, errors);
        await SignInAsAdminAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("console-1-accounts-desk.png"), FullPage = true });

        // An account, with a wrong first try: the errors are listed and the form keeps what was typed.
        var userName = "police.console" + Random.Shared.Next(1000, 9999);
        Assert.Null(await page.GetAttributeAsync("#create", "open"));
        await page.ClickAsync("#create summary");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#displayName", "控制台民警");
        await page.SelectOptionAsync("#role", "police_officer");
        await page.FillAsync("#password", "short");
        await page.ClickAsync("form[action*='handler=Create'] button[type=submit]");
        await page.WaitForSelectorAsync("#error-summary");
        Assert.Equal(2, await page.Locator("#error-summary li").CountAsync());   // the password, and no station for an officer
        Assert.Equal("true", await page.GetAttributeAsync("#password", "aria-invalid"));
        Assert.Equal(userName, await page.InputValueAsync("#username"));
        await page.ScreenshotAsync(new() { Path = Shot("console-2-accounts-errors-desk.png"), FullPage = true });
        // The refusal is a 400, which Chromium logs as a failed load: expected here, and only this one.
        Assert.Equal(["accounts?handler=Create"], errors.Select(e => e.Contains("status of 400") ? e[(e.IndexOf("/accounts?", StringComparison.Ordinal) + 1)..].Split(':')[0] : e));
        errors.Clear();

        var station = await page.EvalOnSelectorAsync<string>("#stationCode", "s => s.options[1].value");
        await page.SelectOptionAsync("#stationCode", station);
        await page.FillAsync("#password", "Console-pass-2026");
        await page.ClickAsync("form[action*='handler=Create'] button[type=submit]");
        await page.WaitForSelectorAsync("p.notice");
        Assert.Contains("账号已创建", await page.TextContentAsync("p.notice"));
        Assert.Equal(1, await page.Locator($"tr[data-user='{userName}']").CountAsync());

        // A watch list, chosen as a file in the form.
        await page.ClickAsync(".console-nav a[href='/watch-list']");
        await page.WaitForURLAsync("**/watch-list");
        var reference = "CONSOLE-" + Random.Shared.Next(1000, 9999);
        var csv = $"id_number,reference,reason\n{OccupancyData.NewIdNumber("110101")},{reference},测试\n{OccupancyData.NewIdNumber("110101")},{reference},测试\n";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "wanted.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.ClickAsync("form[enctype='multipart/form-data'] button[type=submit]");
        await page.WaitForSelectorAsync("#upload-result");
        Assert.Contains("新增 2 条", await page.TextContentAsync("#upload-result"));
        Assert.Equal(2, await page.Locator($"#entries td:text-is('{reference}')").CountAsync());
        await page.ScreenshotAsync(new() { Path = Shot("console-3-watch-list-desk.png"), FullPage = true });

        // A grid's plates: the PDF downloads, one page per two plates, and its QR codes scan.
        await page.ClickAsync(".console-nav a[href='/plates']");
        await page.WaitForURLAsync("**/plates");
        await page.SelectOptionAsync("#grid", SmallGrid);
        await page.ScreenshotAsync(new() { Path = Shot("console-4-plates-desk.png"), FullPage = true });
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("form.console-form button[type=submit]"));
        var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal($"doorplates-{SmallGrid}.pdf", download.SuggestedFilename);
        var buildings = await app.WithDbAsync(db => db.Buildings.CountAsync(b => b.Grid!.Code == SmallGrid));
        var pages = await QrDecoder.RenderPdfPagesAsync(pdf);
        Assert.Equal((buildings + 1) / 2, pages.Count);
        var links = await QrDecoder.DecodeAsync(pages[0]);
        var codes = await app.WithDbAsync(db => db.Doorplates.Where(d => d.RevokedAt == null && d.Building!.Grid!.Code == SmallGrid).Select(d => d.Code).ToListAsync());
        Assert.Equal(2, links.Count);
        Assert.All(links, link => Assert.Contains(link[(link.LastIndexOf('/') + 1)..], codes));
        Assert.All(links, link => Assert.Contains("/d/", link));

        // The stations overview and the audit log, which names every step in both languages.
        await page.ClickAsync(".console-nav a[href='/stations']");
        await page.WaitForURLAsync("**/stations");
        Assert.True(await page.Locator("#stations tbody tr").CountAsync() >= 1);
        await page.ScreenshotAsync(new() { Path = Shot("console-5-stations-desk.png"), FullPage = true });
        await page.ClickAsync(".console-nav a[href='/audit']");
        await page.WaitForURLAsync("**/audit");
        await page.FillAsync("#label", "创建账号");
        await page.ClickAsync(".audit-filter button[type=submit]");
        await page.WaitForURLAsync("**/audit?**");
        Assert.Contains("创建账号", await page.TextContentAsync(".audit-table tbody tr:first-child"));
        Assert.Contains(userName, await page.TextContentAsync(".audit-table tbody tr:first-child"));
        await page.GotoAsync("/audit");
        var actions = await page.Locator(".audit-table tbody td[title]").AllTextContentsAsync();
        Assert.Contains(actions, a => a.Contains("打印门牌") && a.Contains("Doorplates printed"));
        Assert.Contains(actions, a => a.Contains("上传布控名单") && a.Contains("Watch list uploaded"));
        Assert.Equal("rgb(238, 242, 246)", await page.EvalOnSelectorAsync<string>(".audit-table th", "th => getComputedStyle(th).backgroundColor"));
        await page.ScreenshotAsync(new() { Path = Shot("console-6-audit-desk.png"), FullPage = false });

        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task OnAPhoneEveryConsolePageFitsTheScreensWidth()
    {
        await using var phone = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        var page = await phone.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        CollectErrors(page, errors);
        await SignInAsAdminAsync(page);

        foreach (var path in ConsolePages)
        {
            await page.GotoAsync(path);
            await page.ScreenshotAsync(new() { Path = Shot($"console-phone{path.Replace('/', '-')}.png"), FullPage = false });
            var (scroll, width) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"),
                await page.EvaluateAsync<int>("() => document.documentElement.clientWidth"));
            Assert.True(scroll <= width, $"{path} scrolls sideways on a phone: {scroll} > {width}");
        }
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task TheAdminOpensThePoliceMapCityWideAndIsToldPlainlyThatTheLandlordPageIsNotTheirs()
    {
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1440, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        CollectErrors(page, errors);
        await SignInAsAdminAsync(page);

        await page.ClickAsync(".console-nav a[href='/police/map']");
        await page.WaitForURLAsync("**/police/map");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { Timeout = 60_000 });
        Assert.Equal("off", await page.GetAttributeAsync("#queue", "data-state"));
        await page.ScreenshotAsync(new() { Path = Shot("console-7-map-desk.png") });
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));

        var landlord = await page.GotoAsync("/landlord");
        Assert.Equal(403, landlord!.Status);
        Assert.Contains("/account/denied", page.Url);
        Assert.Equal(0, await page.Locator("#password").CountAsync());
        Assert.Equal("/accounts", await page.GetAttributeAsync("main a.button", "href"));
    }
}
