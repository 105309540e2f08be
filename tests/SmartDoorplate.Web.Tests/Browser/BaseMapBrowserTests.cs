using System.Collections.Concurrent;
using Microsoft.Playwright;
using SmartDoorplate.Map;
using SmartDoorplate.Web.Tests.Map;

namespace SmartDoorplate.Web.Tests.Browser;

// The police map as an officer used to 高德 reads it: street names along the streets at z15, the
// doorplate numbers on the buildings at z17, on a phone and on a desktop, with nothing from outside.
public sealed class BaseMapBrowserTests(MapBrowserFixture app) : IClassFixture<MapBrowserFixture>
{
    // The densest hamlet (改茶村第四村民组): a comb of lanes off 改茶北路, 76 buildings.
    private static readonly double[] DenseHamlet = [106.6808, 26.6166];

    private const string WaitForIdle = """
        (move) => new Promise(resolve => {
            const map = window.smartDoorplateMap;
            map.once('idle', () => resolve());
            map.jumpTo(move);
        })
        """;

    private const string RenderedNames = """
        (layer) => [...new Set(window.smartDoorplateMap.queryRenderedFeatures({ layers: [layer] }).map(f => f.properties.name))]
        """;

    public static TheoryData<string, int, int> Screens => new()
    {
        { "phone", 390, 844 },
        { "desktop", 1440, 900 },
    };

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task RoadNamesShowAtZoom15AndDoorplateNumbersAtZoom17WithNothingFromOutside(string screen, int width, int height)
    {
        var phone = width < 600;
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = width, Height = height },
            DeviceScaleFactor = phone ? 2 : 1, IsMobile = phone, HasTouch = phone,
        });
        var page = await context.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        var outside = new ConcurrentQueue<string>();
        page.PageError += (_, error) => problems.Enqueue(error);
        page.Console += (_, message) => { if (message.Type == "error") problems.Enqueue(message.Text); };
        page.Request += (_, request) => { if (!request.Url.StartsWith(app.BaseUrl, StringComparison.Ordinal) && !request.Url.StartsWith("blob:") && !request.Url.StartsWith("data:")) outside.Enqueue(request.Url); };
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`));");

        await page.GotoAsync("/login?ReturnUrl=%2Fpolice%2Fmap");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { State = WaitForSelectorState.Attached, Timeout = 90_000 });

        await page.EvaluateAsync(WaitForIdle, new { center = DenseHamlet, zoom = 15 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, $"basemap-{screen}-z15.png") });
        var roadsAt15 = await page.EvaluateAsync<string[]>(RenderedNames, BaseMapStyle.RoadLabelLayerId);
        var numbersAt15 = await page.EvaluateAsync<string[]>(RenderedNames, BaseMapStyle.NumberLayerId);

        Assert.Contains("改茶北路", roadsAt15);
        Assert.Contains("改茶路", roadsAt15);
        Assert.Empty(numbersAt15);

        await page.EvaluateAsync(WaitForIdle, new { center = DenseHamlet, zoom = 17 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, $"basemap-{screen}-z17.png") });
        var roadsAt17 = await page.EvaluateAsync<string[]>(RenderedNames, BaseMapStyle.RoadLabelLayerId);
        var numbersAt17 = await page.EvaluateAsync<string[]>(RenderedNames, BaseMapStyle.NumberLayerId);

        Assert.Contains(roadsAt17, name => name.StartsWith("改茶北路"));
        Assert.True(numbersAt17.Length >= 5, $"{numbersAt17.Length} doorplate numbers drawn: {string.Join(" ", numbersAt17)}");
        Assert.All(numbersAt17, number => Assert.Matches(@"^\d+号$", number));
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));
        Assert.True(outside.IsEmpty, "requests outside the app: " + string.Join(Environment.NewLine, outside));
        if (phone) Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the phone scrolls sideways");
    }
}
