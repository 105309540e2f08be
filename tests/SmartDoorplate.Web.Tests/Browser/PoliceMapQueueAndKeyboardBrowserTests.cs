using System.Collections.Concurrent;
using Microsoft.Playwright;
using SmartDoorplate.Map;
using SmartDoorplate.Web.Tests.Map;

namespace SmartDoorplate.Web.Tests.Browser;

// The officer's queue on the map as clustered markers that start hidden when there are many, a
// legend that tells the kinds apart by shape as well as colour, and the page used by keyboard:
// the map a few Tab presses away, the building panel taking focus and closing on Escape, MapLibre's
// controls labelled in Chinese. On a phone and on a desktop.
public sealed class PoliceMapQueueAndKeyboardBrowserTests(MapBrowserFixture app) : IClassFixture<MapBrowserFixture>
{
    private const string WaitForIdle = """
        (move) => new Promise(resolve => {
            const map = window.smartDoorplateMap;
            if (!move && !map.isMoving() && map.loaded() && map.areTilesLoaded()) { resolve(); return; }
            map.once('idle', () => resolve());
            if (move) map.jumpTo(move);
        })
        """;

    private sealed record Session(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Errors, bool Phone) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Context.DisposeAsync();
    }

    private async Task<Session> SignedInAsync(int width, int height)
    {
        var phone = width < 600;
        var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = width, Height = height },
            DeviceScaleFactor = phone ? 2 : 1, IsMobile = phone, HasTouch = phone,
        });
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        page.PageError += (_, error) => errors.Enqueue(error);
        // CSP violations are reported to the console as errors, like any other.
        page.Console += (_, message) => { if (message.Type == "error") errors.Enqueue($"{message.Text} ({message.Location})"); };
        await page.GotoAsync("/login?ReturnUrl=%2Fpolice%2Fmap");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync("#queue[data-state=loaded]", new() { State = WaitForSelectorState.Attached });
        await page.EvaluateAsync(WaitForIdle, null);
        return new Session(context, page, errors, phone);
    }

    private static async Task OpenControlsAsync(Session session)
    {
        if (session.Phone && !await session.Page.IsVisibleAsync("#controls")) await session.Page.TapAsync("#controls-toggle");
    }

    private static async Task AssertCleanAsync(Session session)
    {
        Assert.True(session.Errors.IsEmpty, string.Join(Environment.NewLine, session.Errors));
        if (session.Phone)
        {
            Assert.True(await session.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the phone scrolls sideways");
        }
    }

    private static string Shot(string name) => Path.Combine(BrowserFixture.ArtifactDirectory, name);

    private static Task<int> RenderedAsync(IPage page, string layer) =>
        page.EvaluateAsync<int>("(layer) => window.smartDoorplateMap.queryRenderedFeatures({ layers: [layer] }).length", layer);

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1440, 900)]
    public async Task QueueMarkersAreClusteredHiddenAboveTheThresholdUntilShownAndTheLegendSaysWhatEachShapeMeans(int width, int height)
    {
        await using var session = await SignedInAsync(width, height);
        var page = session.Page;
        // The queue as the officer's own session reads it.
        var count = await page.EvaluateAsync<int>("() => fetch('/api/police/queue').then(r => r.json()).then(q => q.items.length)");
        // The pilot's queue is long (hundreds of old registrations never confirmed): the case this is about.
        Assert.True(count > PoliceMapPageModel.QueueMarkersShownUpTo, $"the pilot queue has {count} items");

        Assert.Equal("hidden", await page.GetAttributeAsync("#queue", "data-markers"));
        Assert.False(await page.IsCheckedAsync("#queue-markers"));
        foreach (var layer in new[] { "queue-clusters", "queue-overdue_confirmation", "queue-overcrowded_room", "queue-residence_permit_eligible" })
        {
            Assert.Equal("none", await page.EvaluateAsync<string>("(id) => window.smartDoorplateMap.getLayoutProperty(id, 'visibility')", layer));
        }
        await page.Locator("#map").ScreenshotAsync(new() { Path = Shot($"map-queue-hidden-{width}.png") });

        await OpenControlsAsync(session);
        var legend = await page.InnerTextAsync(".legend");
        Assert.Contains("橙色圆形：逾期未确认", legend);
        Assert.Contains("紫色菱形：超员", legend);
        Assert.Contains("绿色三角：满六个月可办居住证", legend);
        Assert.Contains("深色圆内数字", legend);
        Assert.Contains($"多于 {PoliceMapPageModel.QueueMarkersShownUpTo} 项时标记默认隐藏", legend);
        Assert.Contains($"共 {count} 项", await page.TextContentAsync("#queue-markers-note"));
        // The legend's swatches are the markers' shapes: round, a turned square, a clipped triangle.
        Assert.Equal("50%", await page.EvalOnSelectorAsync<string>(".legend .queue-overdue_confirmation", "e => getComputedStyle(e).borderRadius"));
        Assert.Contains("matrix", await page.EvalOnSelectorAsync<string>(".legend .queue-overcrowded_room", "e => getComputedStyle(e).transform"));
        Assert.StartsWith("polygon", await page.EvalOnSelectorAsync<string>(".legend .queue-residence_permit_eligible", "e => getComputedStyle(e).clipPath"));

        await page.CheckAsync("#queue-markers");
        if (session.Phone) await page.TapAsync("#controls-toggle");
        await page.EvaluateAsync(WaitForIdle, null);

        Assert.Equal("shown", await page.GetAttributeAsync("#queue", "data-markers"));
        var clusters = await page.EvaluateAsync<int[]>(
            "() => window.smartDoorplateMap.queryRenderedFeatures({ layers: ['queue-clusters'] }).map(f => f.properties.point_count)");
        Assert.NotEmpty(clusters);
        Assert.Contains(clusters, n => n > 1);
        Assert.True(clusters.Sum() <= count);
        await page.Locator("#map").ScreenshotAsync(new() { Path = Shot($"map-queue-clusters-{width}.png") });

        // Past the cluster zoom, markers stand alone, each kind its own shape: at a queue item's building (a
        // cluster's centre is a mean, which on a phone's narrow view may have no item near it).
        var first = await page.EvaluateAsync<double[]>(
            "() => fetch('/api/police/queue').then(r => r.json()).then(q => [q.items[0].lon, q.items[0].lat])");
        await page.EvaluateAsync(WaitForIdle, new { center = first, zoom = PoliceMapPageModel.QueueClusterMaxZoom + 2 });
        var single = await page.EvaluateAsync<int>("""
            () => window.smartDoorplateMap.queryRenderedFeatures({ layers: ['queue-overdue_confirmation', 'queue-overcrowded_room', 'queue-residence_permit_eligible'] }).length
            """);
        Assert.True(single > 0, "no single queue marker drawn past the cluster zoom");
        await page.Locator("#map").ScreenshotAsync(new() { Path = Shot($"map-queue-markers-{width}.png") });

        // Unticking a kind takes it out of the clusters too.
        await OpenControlsAsync(session);
        await page.UncheckAsync("input[name=queue-kind][value=overdue_confirmation]");
        if (session.Phone) await page.TapAsync("#controls-toggle");
        await page.EvaluateAsync(WaitForIdle, new { zoom = 13 });
        var withoutOverdue = await page.EvaluateAsync<int>("""
            () => window.smartDoorplateMap.querySourceFeatures('queue').filter(f => !f.properties.cluster && f.properties.type === 'overdue_confirmation').length
            """);
        Assert.Equal(0, withoutOverdue);
        Assert.Equal(0, await RenderedAsync(page, "queue-overdue_confirmation"));
        await AssertCleanAsync(session);
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1440, 900)]
    public async Task TheMapIsAFewTabsAwayThePanelTakesFocusEscapeClosesItAndControlsSpeakChinese(int width, int height)
    {
        await using var session = await SignedInAsync(width, height);
        var page = session.Page;
        const string Focused = "() => { const e = document.activeElement; return e?.id || e?.className || e?.tagName; }";

        // From the top: the header's link and buttons, then the skip link, which lands on the map.
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        var presses = 0;
        while (await page.EvaluateAsync<string>(Focused) != "skip-to-map" && presses < 10)
        {
            await page.Keyboard.PressAsync("Tab");
            presses++;
        }
        Assert.Equal("skip-to-map", await page.EvaluateAsync<string>(Focused));
        Assert.InRange(presses, 1, 5);
        Assert.True(await page.IsVisibleAsync("#skip-to-map"));
        await page.ScreenshotAsync(new() { Path = Shot($"map-skip-link-{width}.png") });
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement === window.smartDoorplateMap.getCanvas()"));

        // MapLibre's own labels, in the page's language.
        Assert.Equal("放大", await page.GetAttributeAsync(".maplibregl-ctrl-zoom-in", "aria-label"));
        Assert.Equal("缩小", await page.GetAttributeAsync(".maplibregl-ctrl-zoom-out", "aria-label"));
        Assert.Equal("地图", await page.GetAttributeAsync(".maplibregl-canvas", "aria-label"));
        Assert.DoesNotContain("Zoom", await page.InnerHTMLAsync(".maplibregl-control-container"));

        // Hundreds of queue items are one tab stop; the arrow keys move inside the list.
        await OpenControlsAsync(session);
        Assert.True(await page.Locator("#queue-list li > button[data-type]").CountAsync() > 1);
        Assert.Equal(1, await page.Locator("#queue-list li > button[data-type][tabindex='0']").CountAsync());
        var firstItem = page.Locator("#queue-list li > button[data-type]").First;
        await firstItem.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        var second = page.Locator("#queue-list li > button[data-type]").Nth(1);
        Assert.True(await second.EvaluateAsync<bool>("e => e === document.activeElement && e.tabIndex === 0"));
        // Every control before the map, the whole queue included, is crossed in a few dozen presses.
        await page.FocusAsync("#skip-to-map");
        var stops = 0;
        while (!await page.EvaluateAsync<bool>("() => document.activeElement === window.smartDoorplateMap.getCanvas()") && stops < 200)
        {
            await page.Keyboard.PressAsync("Tab");
            stops++;
        }
        Assert.InRange(stops, 1, 45);

        // Enter on a queue item opens its building's panel, which takes focus; Escape closes it and
        // focus returns to the item (on a phone the controls close as the map flies, so to the map).
        await OpenControlsAsync(session);
        await second.FocusAsync();
        var buildingId = await second.GetAttributeAsync("data-building-id");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync($"#panel[data-building-id='{buildingId}']:not([hidden])");
        await page.WaitForFunctionAsync("() => document.activeElement?.id === 'panel'");
        Assert.Equal("dialog", await page.GetAttributeAsync("#panel", "role"));
        await page.ScreenshotAsync(new() { Path = Shot($"map-panel-focus-{width}.png") });
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("panel-close", await page.EvaluateAsync<string>(Focused));
        await page.Keyboard.PressAsync("Escape");

        Assert.True(await page.IsHiddenAsync("#panel"));
        if (session.Phone)
        {
            Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement === window.smartDoorplateMap.getCanvas()"));
        }
        else
        {
            Assert.True(await second.EvaluateAsync<bool>("e => e === document.activeElement"));
        }
        await AssertCleanAsync(session);
    }
}
