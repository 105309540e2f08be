using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Browser;

// The tenant's pages as a foreigner, a screen-reader or keyboard user, and someone at 200 % zoom uses them.
public sealed class TenantFormsBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ArtifactDirectory, name);

    private static ConcurrentQueue<string> WatchConsole(IPage page)
    {
        var errors = new ConcurrentQueue<string>();
        // A refused form answers 400 (or 404) with the page: Chromium logs the document's status, which is the point.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 40", StringComparison.Ordinal))
                errors.Enqueue($"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => errors.Enqueue(error);
        return errors;
    }

    private static Task<bool> ScrollsSidewaysAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");

    [Fact]
    public async Task AForeignerWithAPassportRegistersFromTheEnglishPageAndReachesTheStationsQueue()
    {
        await using var phone = await app.PhoneAsync("en-US");
        var page = await phone.NewPageAsync();
        var errors = WatchConsole(page);
        var passport = "E" + Random.Shared.Next(10_000_000, 99_999_999);

        await page.GotoAsync($"/d/{app.World.PlateA}?lang=en");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        await page.ClickAsync("text=Register my residence");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.False(await page.IsVisibleAsync("#nationality"));
        await page.FillAsync("#name", "John Smith");
        await page.SelectOptionAsync("#documentType", "foreign_passport");
        Assert.True(await page.IsVisibleAsync("#nationality"));
        await page.SelectOptionAsync("#nationality", "USA");
        await page.FillAsync("#idNumber", passport);
        await page.SelectOptionAsync("#sex", "male");
        await page.FillAsync("#birthDate", "1988-04-02");
        await page.FillAsync("#phone", "139 0000 " + Random.Shared.Next(1000, 9999));
        await page.SelectOptionAsync("#room", "101");
        await page.CheckAsync("#consent");
        await page.ScreenshotAsync(new() { Path = Shot("tenant-passport-form-390.png"), FullPage = true });
        Assert.False(await ScrollsSidewaysAsync(page));
        await page.ClickAsync("#submit");

        await page.WaitForURLAsync("**/r/**");
        var receipt = (await page.TextContentAsync("#receipt"))!.Trim();
        Assert.Contains("within 24 hours", await page.TextContentAsync("#police-deadline"));
        await page.ScreenshotAsync(new() { Path = Shot("tenant-passport-receipt-390.png"), FullPage = true });

        // The browser fixture serves on Kestrel: the officer's API client talks to that port.
        using var officer = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var login = await officer.PostAsJsonAsync("/api/auth/login", new { username = "t.officer.a", password = TestWorld.Password });
        officer.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        var queue = await officer.GetFromJsonAsync<JsonElement>("/api/police/queue");
        var registrationId = await app.WithDbAsync(db => Task.FromResult(db.Registrations.Where(r => r.Receipt == receipt.Replace("-", "")).Select(r => r.Id).Single()));
        var item = queue.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("type").GetString() == "foreigner_stay" && i.GetProperty("registrationId").GetGuid() == registrationId);
        Assert.True(item.GetProperty("dueBy").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1440, 900)]
    public async Task AFailedSubmitMovesFocusToASummaryLinkingEachWrongField(int width, int height)
    {
        await using var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var errors = WatchConsole(page);

        await page.GotoAsync($"/d/{app.World.PlateA}/register");
        await page.FillAsync("#idNumber", "１１０１０５１９４９１２３１００２Ｘ"); // full width, valid: no error for it
        await page.ClickAsync("#submit");

        await page.WaitForSelectorAsync("#error-summary");
        Assert.Equal("error-summary", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Equal("true", await page.GetAttributeAsync("#name", "aria-invalid"));
        Assert.Equal("name-error", await page.GetAttributeAsync("#name", "aria-describedby"));
        Assert.Equal("true", await page.GetAttributeAsync("#consent", "aria-invalid"));
        Assert.Equal("consent-error", await page.GetAttributeAsync("#consent", "aria-describedby"));
        Assert.Null(await page.GetAttributeAsync("#idNumber", "aria-invalid"));
        var links = await page.Locator("#error-summary a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Equal("#name", links[0]);
        Assert.Contains("#consent", links);
        await page.ScreenshotAsync(new() { Path = Shot($"tenant-error-summary-{width}.png"), FullPage = true });

        await page.ClickAsync("#error-summary a[href='#consent']");
        Assert.Equal("consent", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.False(await ScrollsSidewaysAsync(page));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AtTwoHundredPercentZoomOnAPhoneNoTenantPageScrollsSideways()
    {
        // 200 % zoom on a 390 px phone lays the page out in 195 CSS pixels.
        await using var zoomed = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, ViewportSize = new() { Width = 195, Height = 422 }, DeviceScaleFactor = 4, IsMobile = true, HasTouch = true, Locale = "en-US",
        });
        var page = await zoomed.NewPageAsync();
        var errors = WatchConsole(page);

        foreach (var (path, name) in new[]
        {
            ($"/d/{app.World.PlateA}?lang=en", "plate"), ($"/d/{app.World.PlateA}/register?lang=en", "register"),
            ($"/d/{app.World.PlateA}/recover?lang=en", "recover"), ("/r?lang=en", "lookup"), ("/no-such-page?lang=en", "404"),
        })
        {
            await page.GotoAsync(path);
            if (name == "register")
            {
                await page.SelectOptionAsync("#documentType", "hong_kong_macao_travel_permit");
                await page.ClickAsync("#submit");
                await page.WaitForSelectorAsync("#error-summary");
            }
            await page.ScreenshotAsync(new() { Path = Shot($"tenant-zoom200-{name}.png"), FullPage = true });
            Assert.False(await ScrollsSidewaysAsync(page), path);
        }

        await using var phone = await app.PhoneAsync();
        var plain = await phone.NewPageAsync();
        await plain.GotoAsync($"/d/{app.World.PlateA}");
        var header = await plain.Locator(".site-header").BoundingBoxAsync();
        var brand = await plain.Locator(".site-header .brand").BoundingBoxAsync();
        Assert.True(header!.Height < brand!.Height * 2 + 24, "the header is one line on the phone");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ALostReceiptIsFoundAgainOnThePlatesPage()
    {
        var first17 = "52262419" + Random.Shared.Next(70, 99) + "0101" + Random.Shared.Next(100, 999);
        var idNumber = first17 + ResidentIdNumber.ComputeCheckDigit(first17);
        var phoneNumber = "1370000" + Random.Shared.Next(1000, 9999);
        var created = await app.CreateClient().PostAsJsonAsync("/api/registrations", new
        {
            doorplateCode = app.World.PlateA, room = "101", name = "李四", idNumber, phone = phoneNumber,
            moveInDate = DateTime.Today.ToString("yyyy-MM-dd"), reason = "work", consent = true,
        });
        var receipt = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetString();
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        var errors = WatchConsole(page);

        await page.GotoAsync($"/d/{app.World.PlateA}");
        await page.ClickAsync("#lost-receipt");
        await page.FillAsync("#idNumber", idNumber);
        await page.FillAsync("#phone", phoneNumber);
        await page.ClickAsync("#recover");

        await page.WaitForURLAsync("**/r/**");
        Assert.Equal(receipt, (await page.TextContentAsync("#receipt"))!.Trim());
        Assert.Contains("已找回", await page.TextContentAsync("#notice"));
        await page.ScreenshotAsync(new() { Path = Shot("tenant-receipt-recovered-390.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
