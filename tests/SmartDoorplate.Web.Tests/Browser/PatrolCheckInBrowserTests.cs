using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SmartDoorplate.Web.Tests.Map;

namespace SmartDoorplate.Web.Tests.Browser;

public sealed class PatrolCheckInBrowserTests(MapBrowserFixture app) : IClassFixture<MapBrowserFixture>
{
    // Resolves when the map has drawn everything it asked for; `move` runs inside, after the listener is set.
    private const string WaitForIdle = """
        (move) => new Promise(resolve => {
            const map = window.smartDoorplateMap;
            if (!move && !map.isMoving() && map.loaded() && map.areTilesLoaded()) { resolve(); return; }
            map.once('idle', () => resolve());
            if (move) map.jumpTo(move);
        })
        """;

    [Fact]
    public async Task AnOfficerOnAPhoneScansAPlateTapsCheckInWithTheirPositionAndSeesTheConfirmation()
    {
        var target = await app.ScalarAsync<string>("""
            select d.code || '|' || b.id || '|' || ST_X(b.entrance) || '|' || ST_Y(b.entrance)
            from buildings b join doorplates d on d.building_id = b.id and d.revoked_at is null
            where b.code like 'GC-%' order by b.code limit 1
            """);
        var parts = target.Split('|');
        var (plate, buildingId) = (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture));
        var (lon, lat) = (double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture));

        // A phone standing at the building's entrance that lets the page read its position.
        await using var phone = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 2,
            IsMobile = true, HasTouch = true,
            Geolocation = new Geolocation { Latitude = (float)lat, Longitude = (float)lon, Accuracy = 8 },
            Permissions = ["geolocation"],
        });
        var page = await phone.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") pageErrors.Add(message.Text); };

        await page.GotoAsync($"/login?ReturnUrl=/d/{plate}");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"**/d/{plate}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "patrol-1-scan.png"), FullPage = true });

        await page.TapAsync("text=巡查签到");
        await page.WaitForURLAsync("**/patrol/visits/**");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "patrol-2-confirmation.png"), FullPage = true });

        Assert.Contains("签到成功", await page.TextContentAsync("#patrol-confirmation"));
        Assert.Matches(@"^距楼栋 \d+ 米", (await page.TextContentAsync("#patrol-distance"))!.Trim());
        Assert.Equal("false", await page.GetAttributeAsync("#patrol-confirmation", "data-far"));
        Assert.Equal(0, await page.Locator("#patrol-far").CountAsync());
        Assert.Empty(pageErrors);

        var stored = await app.WithDbAsync(db => db.PatrolVisits.IgnoreQueryFilters().AsNoTracking().SingleAsync(v => v.BuildingId == buildingId));
        Assert.NotNull(stored.Position);
        // Playwright hands the position over as single-precision floats.
        Assert.Equal(lon, stored.Position!.X, 4);
        Assert.Equal(lat, stored.Position.Y, 4);
        Assert.Equal(8, stored.AccuracyMetres);
        Assert.InRange(stored.DistanceMetres!.Value, 0, 20);
        Assert.False(stored.Far);
    }

    [Fact]
    public async Task TheMapOutlinesBuildingsNotPatrolledFor30DaysButNotOneJustCheckedIn()
    {
        var target = await app.ScalarAsync<string>("""
            select d.code || '|' || b.id || '|' || ST_X(ST_PointOnSurface(b.footprint)) || '|' || ST_Y(ST_PointOnSurface(b.footprint))
            from buildings b join doorplates d on d.building_id = b.id and d.revoked_at is null
            where b.code like 'GC-%' order by b.code offset 1 limit 1
            """);
        var parts = target.Split('|');
        var (plate, buildingId) = (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture));
        var centre = new[] { double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture) };
        // No geolocation permission: the check-in goes without a position.
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/login?ReturnUrl=/d/{plate}");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"**/d/{plate}");
        await page.ClickAsync("#patrol-submit");
        await page.WaitForURLAsync("**/patrol/visits/**");
        Assert.Contains("未获取到位置", await page.TextContentAsync("#patrol-distance"));

        await page.GotoAsync("/police/map");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { Timeout = 60_000 });
        await page.EvaluateAsync(WaitForIdle, new { center = centre, zoom = 17 });
        Assert.Equal("none", await page.EvaluateAsync<string>("() => window.smartDoorplateMap.getLayoutProperty('buildings-unvisited', 'visibility')"));

        await page.CheckAsync("#layer-unvisited");
        await page.EvaluateAsync(WaitForIdle, null);
        await page.Locator("#map").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "patrol-3-map-unvisited.png") });

        Assert.Equal("visible", await page.EvaluateAsync<string>("() => window.smartDoorplateMap.getLayoutProperty('buildings-unvisited', 'visibility')"));
        var outlined = await page.EvaluateAsync<long[]>("""
            () => window.smartDoorplateMap.queryRenderedFeatures({ layers: ['buildings-unvisited'] }).map(f => f.properties.id ?? f.id)
            """);
        var visited = await page.EvaluateAsync<bool[]>($$"""
            () => window.smartDoorplateMap.querySourceFeatures('buildings', { sourceLayer: 'buildings' })
                .filter(f => (f.properties.id ?? f.id) === {{buildingId}}).map(f => f.properties.unvisited)
            """);
        Assert.NotEmpty(outlined);
        Assert.DoesNotContain(buildingId, outlined);
        Assert.NotEmpty(visited);
        Assert.All(visited, Assert.False);
    }
}
