using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SmartDoorplate.Occupancy;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Occupancy;

namespace SmartDoorplate.Web.Tests.Browser;

// The landlord's workspace in Chromium on a phone and a desk screen: a page of at most twenty cards
// (bounded height), nothing wider than the screen, a confirm that leaves the landlord where they were,
// and the full-room question inside the card. Each run owns its building and filters by it.
public sealed class LandlordWorkspaceBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static void CollectErrors(IPage page, ConcurrentQueue<string> errors)
    {
        page.PageError += (_, error) => errors.Enqueue(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Enqueue($"{message.Text} ({message.Location})"); };
    }

    private static Task<double> TopAsync(IPage page, string selector) =>
        page.EvaluateAsync<double>($"() => document.querySelector('{selector}').getBoundingClientRect().top");

    [Theory]
    [InlineData("phone", 390, 844)]
    [InlineData("desk", 1440, 900)]
    public async Task ThePageIsBoundedByPagingAndAConfirmKeepsTheLandlordsPlace(string name, int width, int height)
    {
        var building = await OccupancyData.NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 80), ("301", 1));
        for (var i = 0; i < 30; i++)
            await OccupancyData.NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted,
                submittedAt: DateTimeOffset.UtcNow.AddHours(-20).AddMinutes(i), name: "租户" + i.ToString("00"));
        for (var i = 0; i < 20; i++)
            await OccupancyData.NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed, name: "在住" + i.ToString("00"));
        await OccupancyData.NewRegistrationAsync(app, building.Id, building.Rooms["301"], RegistrationStatus.Confirmed, name: "老住户");
        var crowding = await OccupancyData.NewRegistrationAsync(app, building.Id, building.Rooms["301"], RegistrationStatus.Submitted,
            submittedAt: DateTimeOffset.UtcNow.AddHours(-30), name: "韩梅梅");

        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = width, Height = height },
            IsMobile = width < 600, HasTouch = width < 600, DeviceScaleFactor = width < 600 ? 2 : 1,
        });
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        CollectErrors(page, errors);
        await page.GotoAsync("/login?ReturnUrl=%2Flandlord");
        await page.FillAsync("#username", "t.landlord.a");
        await page.FillAsync("#password", TestWorld.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/landlord");

        // The filter form, submitted as a landlord would (no script needed for it).
        await page.SelectOptionAsync("#filter-building", building.Id.ToString());
        await page.SelectOptionAsync("#filter-status", "pending");
        await page.ClickAsync("#apply-filter");
        await page.WaitForURLAsync(url => url.Contains($"building={building.Id}&") && url.Contains("status=pending"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, $"landlord-workspace-{name}-1.png"), FullPage = true });

        var cards = page.Locator("article.tenant");
        Assert.Equal(LandlordWorkspace.PageSize, await cards.CountAsync());
        var scrollHeight = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(scrollHeight < 12 * height, $"the page is {scrollHeight} px tall");
        Assert.Equal(0, overflow);
        Assert.Equal("true", await page.GetAttributeAsync($"#r-{crowding.Id}", "data-room-full"));

        // Confirm the sixth card from the middle of the page: its neighbour takes its place on the screen.
        var chosen = (await cards.Nth(5).GetAttributeAsync("data-registration-id"))!;
        var neighbour = (await cards.Nth(6).GetAttributeAsync("data-registration-id"))!;
        await page.EvaluateAsync($"() => document.getElementById('r-{chosen}').scrollIntoView({{ block: 'center' }})");
        var scrolled = await page.EvaluateAsync<double>("() => window.scrollY");
        var before = await TopAsync(page, $"#r-{chosen}");
        await page.ClickAsync($"#r-{chosen} button.confirm");
        await page.WaitForSelectorAsync($"#r-{chosen}", new() { State = WaitForSelectorState.Detached });
        var after = await TopAsync(page, $"#r-{neighbour}");
        Assert.True(scrolled > 0);
        Assert.True(Math.Abs(after - before) < 4, $"the neighbour moved from {before} to {after}");
        Assert.True(await page.EvaluateAsync<double>("() => window.scrollY") > 0, "the page jumped to the top");
        Assert.Contains("已确认登记", await page.TextContentAsync("#message"));
        Assert.Equal(RegistrationStatus.Confirmed, await app.WithDbAsync(db =>
            db.Registrations.Where(r => r.Id == Guid.Parse(chosen)).Select(r => r.Status).SingleAsync()));
        Assert.Contains($"building={building.Id}", page.Url);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, $"landlord-workspace-{name}-2-confirmed.png") });

        // The full room: the question appears in the card; confirming anyway confirms and flags the room.
        var crowdingCard = page.Locator($"#r-{crowding.Id}");
        await crowdingCard.ScrollIntoViewIfNeededAsync();
        await crowdingCard.Locator("button.confirm").ClickAsync();
        var step = crowdingCard.Locator(".full-room.in-card");
        await step.WaitForAsync();
        Assert.Contains("房间 301 有 1 个床位、已住 1 人", await step.TextContentAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, $"landlord-workspace-{name}-3-full-room.png") });
        Assert.Equal(RegistrationStatus.Submitted, await app.WithDbAsync(db =>
            db.Registrations.Where(r => r.Id == crowding.Id).Select(r => r.Status).SingleAsync()));
        await step.Locator("button[type=submit]").ClickAsync();
        await page.WaitForSelectorAsync($"#r-{crowding.Id}", new() { State = WaitForSelectorState.Detached });
        Assert.Contains("超员", await page.TextContentAsync("#message"));
        Assert.Equal("2", await page.GetAttributeAsync("li.room[data-room=\"301\"]", "data-occupants"));

        // A name search and the next page keep working from the same form and links.
        await page.FillAsync("#filter-name", "租户2");
        await page.ClickAsync("#apply-filter");
        await page.WaitForURLAsync(url => url.Contains("q="));
        Assert.Equal(10, await cards.CountAsync());
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, $"landlord-workspace-{name}-4-search.png"), FullPage = true });
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task WithoutJavaScriptAConfirmReturnsToTheSameFilterAndPageAtTheNeighbouringCard()
    {
        var building = await OccupancyData.NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 80));
        for (var i = 0; i < 26; i++)
            await OccupancyData.NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted,
                submittedAt: DateTimeOffset.UtcNow.AddHours(-20).AddMinutes(i));
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 390, Height = 844 }, JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login?ReturnUrl=%2Flandlord");
        await page.FillAsync("#username", "t.landlord.a");
        await page.FillAsync("#password", TestWorld.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/landlord");
        await page.GotoAsync($"/landlord?building={building.Id}&status=pending&page=2");
        var cards = page.Locator("article.tenant");
        var chosen = (await cards.Nth(1).GetAttributeAsync("data-registration-id"))!;
        var neighbour = (await cards.Nth(2).GetAttributeAsync("data-registration-id"))!;

        await page.ClickAsync($"#r-{chosen} button.confirm");
        await page.WaitForURLAsync(url => url.EndsWith($"#r-{neighbour}"));

        Assert.EndsWith($"/landlord?building={building.Id}&status=pending&page=2#r-{neighbour}", page.Url);
        Assert.Contains("已确认登记", await page.TextContentAsync("#message"));
        Assert.Equal(0, await page.Locator($"#r-{chosen}").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "landlord-workspace-nojs.png") });
    }
}
