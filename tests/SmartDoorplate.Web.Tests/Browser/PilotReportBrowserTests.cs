using System.Collections.Concurrent;
using SmartDoorplate.Web.Tests.Map;

namespace SmartDoorplate.Web.Tests.Browser;

public sealed class PilotReportBrowserTests(MapBrowserFixture app) : IClassFixture<MapBrowserFixture>
{
    [Fact]
    public async Task AnOfficerOpensTheReportSeesItsPicturesWithinTheCspAndDownloadsThePdf()
    {
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1024, Height = 900 }, AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        page.PageError += (_, error) => problems.Enqueue(error);
        page.Console += (_, message) => { if (message.Type == "error") problems.Enqueue($"{message.Text} ({message.Location})"); };

        await page.GotoAsync("/police/report");
        Assert.Contains("/login", page.Url);
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/police/report");
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);

        foreach (var picture in new[] { "img.report-chart", "img.report-map" })
        {
            Assert.True(await page.EvalOnSelectorAsync<int>(picture, "img => img.complete ? img.naturalWidth : 0") > 0, picture);
        }
        Assert.Equal(10, await page.Locator("#hot-buildings tbody tr").CountAsync());
        Assert.Contains("%", await page.TextContentAsync("#change"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "pilot-report.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a[href^='/police/report.pdf']"));
        var path = await download.PathAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(path))[..4]));
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));
    }
}
