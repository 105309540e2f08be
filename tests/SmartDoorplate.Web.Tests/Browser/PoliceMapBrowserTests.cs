using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SmartDoorplate.Privacy;
using SmartDoorplate.Web.Tests.Map;

namespace SmartDoorplate.Web.Tests.Browser;

// The pilot on a real port, for Chromium. WebGL has no GPU here: SwiftShader draws it, which recent
// Chromium only allows when asked to.
public sealed class MapBrowserFixture : PilotMapFixture
{
    private IPlaywright? playwright;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        UseKestrel(0);
        await base.InitializeAsync();
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
        playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(playwright, "--use-angle=swiftshader", "--enable-unsafe-swiftshader");
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
    }
}

public sealed class PoliceMapBrowserTests(MapBrowserFixture app) : IClassFixture<MapBrowserFixture>
{
    // Resolves when the map has drawn everything it asked for; `move` runs inside, after the listener is set.
    // A new run's tiles are requested after the map may already report itself idle (the source's
    // URL changes once the run is known), so wait for the response itself, up to a bound.
    private static async Task TileArrivedAsync(ConcurrentQueue<(string Url, int Status)> tiles, Func<(string Url, int Status), bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!tiles.Any(match) && DateTime.UtcNow < deadline) await Task.Delay(100);
    }

    private const string WaitForIdle = """
        (move) => new Promise(resolve => {
            const map = window.smartDoorplateMap;
            if (!move && !map.isMoving() && map.loaded() && map.areTilesLoaded()) { resolve(); return; }
            map.once('idle', () => resolve());
            if (move) map.jumpTo(move);
        })
        """;

    // Distinct colours among sampled pixels of a PNG, decoded by the browser itself.
    private const string CountColours = """
        async (base64) => {
            const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
            const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
            const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
            const context = canvas.getContext('2d');
            context.drawImage(bitmap, 0, 0);
            const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
            const colours = new Set();
            for (let i = 0; i < pixels.length; i += 4 * 7) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
            return colours.size;
        }
        """;

    private static string Shot(string name) => Path.Combine(BrowserFixture.ArtifactDirectory, name);

    [Fact]
    public async Task AnOfficerSignsInSeesTheMapTogglesALayerAndOpensABuildingsPanel()
    {
        var target = await app.ScalarAsync<string>("""
            select b.id || '|' || a.full_text || '|' || ST_X(ST_PointOnSurface(b.footprint)) || '|' || ST_Y(ST_PointOnSurface(b.footprint))
            from buildings b join standard_addresses a on a.id = b.address_id where b.code = 'GC-08-0002'
            """);
        var parts = target.Split('|');
        var (id, address) = (parts[0], parts[1]);
        var centre = new[] { double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) };

        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var tiles = new ConcurrentQueue<(string Url, int Status)>();
        var pageErrors = new ConcurrentQueue<string>();
        page.Response += (_, response) => { if (response.Url.Contains("/api/map/tiles/")) tiles.Enqueue((response.Url, response.Status)); };
        page.PageError += (_, error) => pageErrors.Enqueue(error);
        page.Console += (_, message) => { if (message.Type == "error") pageErrors.Enqueue($"{message.Text} ({message.Location})"); };

        await page.GotoAsync("/police/map");
        Assert.Contains("/login", page.Url);
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/police/map");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { Timeout = 60_000 });
        await page.EvaluateAsync(WaitForIdle, null);
        var overview = await page.Locator("#map").ScreenshotAsync(new() { Path = Shot("map-1-overview.png") });

        Assert.True(await page.EvaluateAsync<int>(CountColours, Convert.ToBase64String(overview)) > 20, "the map canvas looks blank");
        Assert.Contains(tiles, t => t.Url.Contains("/tiles/buildings/") && t.Status == 200);
        Assert.Contains(tiles, t => t.Url.Contains("/tiles/boundaries/") && t.Status == 200);
        Assert.Contains(tiles, t => t.Url.Contains("/tiles/cases/") && t.Url.Contains("from=") && t.Status == 200);
        Assert.DoesNotContain(tiles, t => t.Status >= 400);
        Assert.True(pageErrors.IsEmpty, string.Join(Environment.NewLine, pageErrors));

        await page.CheckAsync("#layer-population");
        await page.UncheckAsync("#layer-cases");
        await page.EvaluateAsync(WaitForIdle, null);
        await page.Locator("#map").ScreenshotAsync(new() { Path = Shot("map-2-population.png") });

        Assert.Equal("visible", await page.EvaluateAsync<string>("() => window.smartDoorplateMap.getLayoutProperty('population-cells', 'visibility')"));
        Assert.Equal("none", await page.EvaluateAsync<string>("() => window.smartDoorplateMap.getLayoutProperty('cases-points', 'visibility')"));
        Assert.Contains(tiles, t => t.Url.Contains("/tiles/population/") && t.Status == 200);

        // Hot spots: a stored Gi* run of the case filter's period, drawn as tiles of that run.
        var hotspots = await page.RunAndWaitForResponseAsync(() => page.CheckAsync("#layer-hotspots"), r => r.Url.Contains("/api/hotspots?"));
        await page.WaitForSelectorAsync("#hotspots[data-state=loaded]");
        Assert.Equal(200, hotspots.Status);
        Assert.Contains("from=", hotspots.Url);
        // All six case types are ticked by default, and the run uses all six, not the API's default
        // of robbery and theft (an absent `types` meant four).
        var ticked = await page.Locator("#case-filter input[name=types]:checked").CountAsync();
        Assert.Equal(6, ticked);
        var used = (await hotspots.JsonAsync())!.Value.GetProperty("parameters").GetProperty("types").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(ticked, used.Count);
        Assert.Equal(Enum.GetValues<SmartDoorplate.Policing.Cases.CaseType>().Length, used.Distinct().Count());
        var filterRun = await page.GetAttributeAsync("#map-shell", "data-hotspot-run");
        await page.EvaluateAsync(WaitForIdle, null);
        await page.Locator("#map").ScreenshotAsync(new() { Path = Shot("map-2b-hotspots.png") });
        await TileArrivedAsync(tiles, t => t.Url.Contains("/tiles/hotspots/") && t.Url.Contains($"run={filterRun}"));
        Assert.Contains(tiles, t => t.Url.Contains("/tiles/hotspots/") && t.Url.Contains($"run={filterRun}") && t.Status == 200);
        Assert.True(await page.IsVisibleAsync("#hotspot-legend"));
        var legend = await page.InnerTextAsync("#hotspot-legend");
        Assert.Contains("热点 99%", legend);
        Assert.Contains("冷点 99%", legend);
        // The parameters used are shown, the automatic band among them.
        Assert.Contains("邻域半径 150 米（自动", await page.TextContentAsync("#hotspot-parameters"));
        Assert.NotNull(await page.GetAttributeAsync("#map-shell", "data-hot-buildings"));

        // Before/after the plates: the toggle switches the tiles to the "after" run, then to the change.
        var change = await page.RunAndWaitForResponseAsync(() => page.CheckAsync("input[name=hotspot-view][value=after]"), r => r.Url.Contains("/api/hotspots/change"));
        Assert.Equal(200, change.Status);
        await page.WaitForSelectorAsync("#map-shell[data-hotspot-view=after]");
        await page.WaitForSelectorAsync("#hotspots[data-state=loaded]");
        var afterRun = await page.GetAttributeAsync("#map-shell", "data-hotspot-run");
        await page.EvaluateAsync(WaitForIdle, null);
        Assert.NotEqual(filterRun, afterRun);
        await TileArrivedAsync(tiles, t => t.Url.Contains("/tiles/hotspots/") && t.Url.Contains($"run={afterRun}"));
        Assert.Contains(tiles, t => t.Url.Contains("/tiles/hotspots/") && t.Url.Contains($"run={afterRun}") && t.Status == 200);
        Assert.Matches(@"门牌安装前 \d+ 起 → 安装后 \d+ 起（−\d+\.\d%）", await page.TextContentAsync("#hotspot-summary"));
        await page.CheckAsync("input[name=hotspot-view][value=change]");
        await page.WaitForSelectorAsync("#map-shell[data-hotspot-view=change]");
        await page.WaitForSelectorAsync("#hotspots[data-state=loaded]");
        await page.EvaluateAsync(WaitForIdle, null);
        Assert.Contains("案件减少聚集", await page.InnerTextAsync("#hotspot-legend"));
        Assert.DoesNotContain("冷点 99%", await page.InnerTextAsync("#hotspot-legend"));
        await page.Locator("#map").ScreenshotAsync(new() { Path = Shot("map-2c-hotspot-change.png") });
        await page.UncheckAsync("#layer-hotspots");
        Assert.DoesNotContain(tiles, t => t.Status >= 400);

        // Fly to the building and click the middle of the map, where it now is.
        await page.EvaluateAsync(WaitForIdle, new { center = centre, zoom = 18.5 });
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.WaitForSelectorAsync("#panel:not([hidden])");

        Assert.Equal(address, await page.TextContentAsync("#panel-title"));
        Assert.Equal(id, await page.GetAttributeAsync("#panel", "data-building-id"));
        Assert.Contains("GC-08-0002", await page.TextContentAsync("#panel-facts"));
        await page.ScreenshotAsync(new() { Path = Shot("map-3-building-panel.png") });

        await page.FillAsync("#residents-purpose", "入户走访核查");
        await page.ClickAsync("#residents-show");
        await page.WaitForSelectorAsync("#residents-table:not([hidden])");
        var firstId = await page.TextContentAsync("#residents-body tr td:nth-child(2)");

        Assert.Matches(@"^\d{4}\*{10}[\dX]{4}$", firstId);
        await page.ScreenshotAsync(new() { Path = Shot("map-4-residents.png") });
        Assert.True(pageErrors.IsEmpty, string.Join(Environment.NewLine, pageErrors));
    }

    [Fact]
    public async Task ARegistrationLeftPendingPastTheDeadlineIsInTheQueueOnTheMapAndOpensItsBuilding()
    {
        var target = await app.ScalarAsync<string>("select b.id || '|' || a.full_text from buildings b join standard_addresses a on a.id = b.address_id where b.code = 'GC-05-0003'");
        var buildingId = long.Parse(target.Split('|')[0]);
        var registration = await SmartDoorplate.Web.Tests.Occupancy.OccupancyData.NewRegistrationAsync(app, buildingId, null,
            SmartDoorplate.Registrations.RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddDays(-4));

        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var pageErrors = new ConcurrentQueue<string>();
        page.PageError += (_, error) => pageErrors.Enqueue(error);
        await page.GotoAsync("/login?ReturnUrl=%2Fpolice%2Fmap");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync("#queue[data-state=loaded]");

        var item = page.Locator($"#queue-list button[data-registration-id='{registration.Id}']");
        // The list is paged, oldest first: the newest overdue item is on a later page of its kind.
        var group = page.Locator("#queue-list [data-queue-group=overdue_confirmation]");
        var total = int.Parse((await group.GetAttributeAsync("data-total"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(await app.ScalarAsync<long>("""
            select count(*) from residence_registrations r join buildings b on b.id = r.building_id join community_grids g on g.id = b.grid_id
            join police_stations s on s.id = g.station_id where s.code = 'QL-GC' and r.status = 'submitted' and r.submitted_at < now() - interval '3 days'
            """), total);
        while (await item.CountAsync() == 0)
        {
            var page0 = await group.GetAttributeAsync("data-page");
            await page.ClickAsync("#queue-list button[data-next=overdue_confirmation]");
            await page.WaitForFunctionAsync($"() => document.querySelector('[data-queue-group=overdue_confirmation]').dataset.page !== '{page0}'");
        }
        Assert.True(await page.Locator("#queue-list [data-queue-group=overdue_confirmation] li").CountAsync() <= 20);
        Assert.Equal("overdue_confirmation", await item.GetAttributeAsync("data-type"));
        Assert.Contains("逾期未确认", await item.TextContentAsync());
        Assert.Contains(target.Split('|')[1], await item.TextContentAsync());
        await item.ClickAsync();
        await page.WaitForSelectorAsync($"#panel[data-building-id='{buildingId}']:not([hidden])");
        await page.EvaluateAsync(WaitForIdle, null);

        Assert.Contains("GC-05-0003", await page.TextContentAsync("#panel-facts"));
        // The building's marker is drawn where the map flew to.
        Assert.True(await page.EvaluateAsync<int>("() => window.smartDoorplateMap.queryRenderedFeatures({ layers: ['queue-overdue_confirmation'] }).length") > 0);
        await page.ScreenshotAsync(new() { Path = Shot("map-6-queue.png") });

        // Hiding a kind hides its markers and its list items.
        await page.UncheckAsync("input[name=queue-kind][value=overdue_confirmation]");
        Assert.Equal("none", await page.EvaluateAsync<string>("() => window.smartDoorplateMap.getLayoutProperty('queue-overdue_confirmation', 'visibility')"));
        Assert.Equal(0, await page.Locator("#queue-list button[data-type=overdue_confirmation]").CountAsync());
        Assert.True(pageErrors.IsEmpty, string.Join(Environment.NewLine, pageErrors));
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1440, 900)]
    public async Task ThePanelNamesTheLandlordAndRevealsOneResidentForAPurposeAuditedOnce(int width, int height)
    {
        var phone = width < 600;
        var building = await app.ScalarAsync<string>("""
            select b.code || '|' || u.display_name || '|' || u.id from buildings b join users u on u.id = b.owner_id
            join residence_registrations r on r.building_id = b.id
            where r.status in ('confirmed', 'verified') and r.move_out_date is null
            group by b.code, u.display_name, u.id order by count(*) desc, b.code limit 1
            """);
        var (code, landlord) = (building.Split('|')[0], building.Split('|')[1]);
        var landlordPhone = "135" + Random.Shared.NextInt64(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var landlordId = long.Parse(building.Split('|')[2], System.Globalization.CultureInfo.InvariantCulture);
        var phoneCipher = app.Services.GetRequiredService<PersonalDataProtector>().Encrypt(landlordPhone);
        await app.WithDbAsync(db => db.Users.Where(u => u.Id == landlordId).ExecuteUpdateAsync(u => u.SetProperty(x => x.ContactPhoneCipher, phoneCipher)));
        var purpose = $"入户核查 {width} {Guid.NewGuid():N}"[..24];
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = width, Height = height },
            DeviceScaleFactor = phone ? 2 : 1, IsMobile = phone, HasTouch = phone,
        });
        var page = await context.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        page.PageError += (_, error) => problems.Enqueue(error);
        page.Console += (_, message) => { if (message.Type == "error") problems.Enqueue($"{message.Text} ({message.Location})"); };
        await page.GotoAsync("/login?ReturnUrl=%2Fpolice%2Fmap");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { Timeout = 60_000 });

        if (phone) await page.ClickAsync("#controls-toggle");
        await page.FillAsync("#search", code);
        await page.ClickAsync("#search-form button[type=submit]");
        await page.ClickAsync($"#search-results button:has-text('{code}')");
        await page.WaitForSelectorAsync("#panel:not([hidden])");
        Assert.Contains($"房东{landlord}", (await page.TextContentAsync("#panel-facts"))!.Replace(" ", ""));
        Assert.Equal(landlordPhone, await page.TextContentAsync($"#panel-facts a[href='tel:{landlordPhone}']"));
        await page.Locator("#panel-facts").ScreenshotAsync(new() { Path = Shot($"map-7-landlord-{width}x{height}.png") });

        await page.FillAsync("#residents-purpose", purpose);
        await page.ClickAsync("#residents-show");
        await page.WaitForSelectorAsync("#residents-table:not([hidden])");
        var masked = await page.TextContentAsync("#residents-body tr:first-child td:nth-child(2)");
        Assert.Contains("*", masked);
        var reveal = page.Locator("#residents-body button.reveal").First;
        var personId = await reveal.GetAttributeAsync("data-person-id");
        await reveal.ClickAsync();
        await page.WaitForSelectorAsync($"#residents-body tr.revealed[data-person-id='{personId}']");
        var revealed = await page.TextContentAsync($"#residents-body tr.revealed[data-person-id='{personId}']");
        Assert.Matches("[0-9]{17}[0-9X]", revealed);
        Assert.Matches("1[3-9][0-9]{9}", revealed);
        Assert.Equal(masked![..4], System.Text.RegularExpressions.Regex.Match(revealed!, "[0-9]{17}[0-9X]").Value[..4]);
        Assert.Equal(1, await page.Locator("#residents-body tr.revealed").CountAsync());
        Assert.True(await page.IsDisabledAsync("#residents-body button.reveal >> nth=0"));
        await page.Locator("#panel").ScreenshotAsync(new() { Path = Shot($"map-7-reveal-{width}x{height}.png") });
        await page.ScreenshotAsync(new() { Path = Shot($"map-7-reveal-page-{width}x{height}.png") });

        Assert.Equal($"{personId}|{purpose}", await app.ScalarAsync<string>(
            $"select string_agg(target_id || '|' || purpose, ',') from audit_events where action = 'person_reveal' and purpose = '{purpose}'"));
        if (phone) Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task OnAPhoneTheControlsOpenFromAButtonAndTheSearchOpensABuilding()
    {
        await using var phone = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        var page = await phone.NewPageAsync();
        await page.GotoAsync("/login?ReturnUrl=%2Fpolice%2Fmap");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { Timeout = 60_000 });

        Assert.False(await page.IsVisibleAsync("#controls"));
        await page.TapAsync("#controls-toggle");
        Assert.True(await page.IsVisibleAsync("#controls"));
        await page.FillAsync("#search", "GC-08-0002");
        await page.TapAsync("#search-form button[type=submit]");
        await page.TapAsync("#search-results button");
        await page.WaitForSelectorAsync("#panel:not([hidden])");
        await page.EvaluateAsync(WaitForIdle, null);

        Assert.False(await page.IsVisibleAsync("#controls"));
        Assert.Contains("GC-08-0002", await page.TextContentAsync("#panel-facts"));
        var centre = await page.EvaluateAsync<double[]>("() => window.smartDoorplateMap.getCenter().toArray()");
        Assert.InRange(centre[0], 106.674, 106.677);
        await page.ScreenshotAsync(new() { Path = Shot("map-5-phone-search.png") });
    }
}
