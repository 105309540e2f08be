using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using SmartDoorplate.Web.Tests.Map;

namespace SmartDoorplate.Web.Tests.Browser;

public sealed class StatisticsBrowserTests(MapBrowserFixture app) : IClassFixture<MapBrowserFixture>
{
    // Per chart canvas: how many distinct colours its painted pixels have (a blank canvas has none).
    private const string CanvasColours = """
        () => [...document.querySelectorAll('.chart canvas')].map(canvas => {
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            const colours = new Set();
            for (let i = 0; i < pixels.length; i += 4 * 5) if (pixels[i + 3] > 0) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
            return colours.size;
        })
        """;

    private static string Shot(string name) => Path.Combine(BrowserFixture.ArtifactDirectory, name);

    private static void CollectErrors(IPage page, ConcurrentQueue<string> errors)
    {
        page.PageError += (_, error) => errors.Enqueue(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Enqueue($"{message.Text} ({message.Location})"); };
    }

    [Fact]
    public async Task AnOfficerOpensTheStatisticsOfThePilotAndSeesDrawnChartsAndTheTotalsTable()
    {
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        CollectErrors(page, errors);

        await page.GotoAsync("/login?ReturnUrl=%2Fpolice%2Fmap");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/police/map");
        await page.ClickAsync("#statistics-link");
        await page.WaitForURLAsync("**/police/statistics");
        await page.WaitForSelectorAsync("#stats-shell[data-state=rendered]", new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Shot("statistics-1-desk.png"), FullPage = true });

        // The API as the same signed-in browser (its session cookie) sees it.
        var expected = await page.EvaluateAsync<JsonElement>("() => fetch('/api/statistics').then(r => r.json())");
        var residents = expected.GetProperty("totals").GetProperty("residents").GetInt32();
        var colours = await page.EvaluateAsync<int[]>(CanvasColours);
        Assert.Equal(5, colours.Length);
        Assert.All(colours, count => Assert.True(count > 3, $"a chart canvas looks blank: {string.Join(", ", colours)}"));
        Assert.True(residents > 0);
        Assert.Equal(residents.ToString(), await page.TextContentAsync("#total-residents"));
        Assert.Equal(residents.ToString(), await page.TextContentAsync("#table-totals tbody tr:first-child td"));
        Assert.Equal(expected.GetProperty("provinces").GetArrayLength(), await page.Locator("#table-provinces tbody tr").CountAsync());
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));

        // A grid chosen with the form (a plain GET) shows that grid's figures.
        var grid = await page.EvaluateAsync<string>("() => document.querySelector('#grid option:nth-child(2)').value");
        var gridExpected = await page.EvaluateAsync<JsonElement>("grid => fetch('/api/statistics?grid=' + encodeURIComponent(grid)).then(r => r.json())", grid);
        await page.SelectOptionAsync("#grid", grid);
        await page.ClickAsync(".stats-filter button[type=submit]");
        await page.WaitForURLAsync($"**/police/statistics?grid={grid}");
        await page.WaitForSelectorAsync("#stats-shell[data-state=rendered]");
        Assert.Equal(gridExpected.GetProperty("totals").GetProperty("residents").GetInt32().ToString(), await page.TextContentAsync("#total-residents"));
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task OnAPhoneTheChartsStackToTheScreensWidth()
    {
        await using var phone = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        var page = await phone.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        CollectErrors(page, errors);
        await page.GotoAsync("/login?ReturnUrl=%2Fpolice%2Fstatistics");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#stats-shell[data-state=rendered]", new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Shot("statistics-2-phone.png"), FullPage = true });

        var widths = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('.chart')].map(c => c.getBoundingClientRect().width)");
        var pageWidth = await page.EvaluateAsync<double>("() => document.documentElement.scrollWidth");
        Assert.All(widths, w => Assert.InRange(w, 300, 390));
        Assert.InRange(pageWidth, 380, 390);
        Assert.All(await page.EvaluateAsync<int[]>(CanvasColours), count => Assert.True(count > 3));
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));
    }
}
