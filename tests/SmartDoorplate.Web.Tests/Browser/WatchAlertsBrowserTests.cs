using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using SmartDoorplate.Web.Tests.Map;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Browser;

// The watch list on the police map: a tenant on the list registers at a pilot building, and the
// station's officer sees the alert as a marker and in the list, and proposes a decision there.
public sealed class WatchAlertsBrowserTests(MapBrowserFixture app) : IClassFixture<MapBrowserFixture>
{
    [Fact]
    public async Task AnAlertRaisedByARegistrationShowsOnTheMapAndTakesTheFirstStepOfTheFourEyes()
    {
        var target = (await app.ScalarAsync<string>("""
            select d.code || '|' || r.number || '|' || a.full_text || '|' || ST_X(b.entrance) || '|' || ST_Y(b.entrance)
            from doorplates d join buildings b on b.id = d.building_id join standard_addresses a on a.id = b.address_id
            join community_grids g on g.id = b.grid_id join police_stations s on s.id = g.station_id
            join rooms r on r.building_id = b.id and r.retired_at is null
            where d.revoked_at is null and s.code = 'QL-GC' order by b.code, r.number limit 1
            """)).Split('|');
        var (plate, room, address) = (target[0], target[1], target[2]);
        var entrance = new[] { double.Parse(target[3], System.Globalization.CultureInfo.InvariantCulture), double.Parse(target[4], System.Globalization.CultureInfo.InvariantCulture) };
        var idNumber = NewIdNumber("330102");
        // The fixture serves on a real port (Kestrel) for the browser; HTTP set-up goes there too. No
        // cookie jar: the tenant registers anonymously, not with the admin's session cookie (which
        // would need the anti-forgery token).
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = PilotMapFixture.Password });
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
        using var admin = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var upload = await admin.PostAsync("/api/watch-list", new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes($"id_number,reference,reason\n{idNumber},GY-2026-0815,网上追逃\n")), "file", "wanted.csv" },
        });
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var registration = await http.PostAsJsonAsync("/api/registrations", new
        {
            doorplateCode = plate, room, name = "孙六", idNumber, phone = NewPhone(), moveInDate = Day(-1), reason = "work", consent = true,
        });
        Assert.Equal(HttpStatusCode.Created, registration.StatusCode);

        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var pageErrors = new ConcurrentQueue<string>();
        page.PageError += (_, error) => pageErrors.Enqueue(error);
        page.Console += (_, message) => { if (message.Type == "error") pageErrors.Enqueue($"{message.Text} ({message.Location})"); };
        await page.GotoAsync("/login?ReturnUrl=%2Fpolice%2Fmap");
        await page.FillAsync("#username", "police.gaicha");
        await page.FillAsync("#password", PilotMapFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#map-shell[data-state=loaded]", new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync("#watch-alerts[data-alerts]");

        var item = page.Locator("#watch-alerts-list li.watch-alert", new() { HasText = "GY-2026-0815" });
        Assert.Equal(1, await item.CountAsync());
        Assert.Contains(address, await item.TextContentAsync());
        Assert.Contains("待处理", await item.TextContentAsync());
        await page.EvaluateAsync("""
            (centre) => new Promise(resolve => { const map = window.smartDoorplateMap; map.once('idle', () => resolve()); map.jumpTo({ center: centre, zoom: 17.5 }); })
            """, entrance);
        var markers = await page.EvaluateAsync<int>("""
            () => window.smartDoorplateMap.queryRenderedFeatures({ layers: ['watch-alerts-points'] }).length
            """);
        Assert.True(markers >= 1, "no watch-alert marker drawn at the building");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "map-6-watch-alert.png") });

        await item.Locator("input[name=note]").FillAsync("入户核实，系本人");
        await item.Locator("button", new() { HasText = "拟确认" }).ClickAsync();
        var proposed = page.Locator("#watch-alerts-list li.watch-alert", new() { HasText = "拟确认，待复核" });
        await proposed.WaitForAsync();

        // The proposer is offered no decision: that needs a second officer.
        Assert.Contains("双人复核", await proposed.TextContentAsync());
        Assert.Equal(0, await proposed.Locator("button", new() { HasText = "同意" }).CountAsync());
        Assert.True(pageErrors.IsEmpty, string.Join(Environment.NewLine, pageErrors));
    }
}
