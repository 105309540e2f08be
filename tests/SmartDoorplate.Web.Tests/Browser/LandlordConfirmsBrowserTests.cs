using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Occupancy;

namespace SmartDoorplate.Web.Tests.Browser;

public sealed class LandlordConfirmsBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, name), FullPage = true });

    [Fact]
    public async Task ATenantRegistersTheLandlordConfirmsTheReceiptSaysSoAndTheLandlordRecordsTheMoveOut()
    {
        var building = await OccupancyData.NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("201", 2), ("202", 1));
        var idNumber = OccupancyData.NewIdNumber("430102");
        var phoneNumber = OccupancyData.NewPhone();
        const string name = "林小雨";

        // The tenant scans the plate on their phone and registers.
        await using var tenantPhone = await app.PhoneAsync();
        var tenant = await tenantPhone.NewPageAsync();
        await tenant.GotoAsync($"/d/{building.PlateCode}");
        await tenant.ClickAsync("text=我要登记");
        await tenant.FillAsync("#name", name);
        await tenant.FillAsync("#idNumber", idNumber);
        await tenant.FillAsync("#phone", phoneNumber);
        await tenant.SelectOptionAsync("#room", "201");
        await tenant.CheckAsync("#consent");
        await tenant.ClickAsync("#submit");
        await tenant.WaitForURLAsync("**/r/**");
        var receipt = (await tenant.TextContentAsync("#receipt"))!.Trim();
        Assert.Equal("submitted", await tenant.GetAttributeAsync("#status", "data-status"));

        // The landlord signs in on the sign-in page and finds it waiting.
        await using var landlordPhone = await app.PhoneAsync();
        var landlord = await landlordPhone.NewPageAsync();
        await landlord.GotoAsync("/landlord");
        await landlord.WaitForURLAsync("**/login**");
        await landlord.FillAsync("#username", "t.landlord.a");
        await landlord.FillAsync("#password", TestWorld.Password);
        await landlord.ClickAsync("button[type=submit]");
        await landlord.WaitForURLAsync("**/landlord");
        // The workspace shows a building's rooms when the landlord picks the building.
        await landlord.GotoAsync($"/landlord?building={building.Id}");
        var card = landlord.Locator("article.pending", new() { HasText = name });
        Assert.Equal(1, await card.CountAsync());
        Assert.Contains(idNumber[..4] + "**********" + idNumber[^4..], await card.TextContentAsync());
        Assert.DoesNotContain(idNumber, await landlord.ContentAsync());
        await ShotAsync(landlord, "landlord-1-pending.png");

        await card.Locator("button.confirm").ClickAsync();
        await landlord.WaitForSelectorAsync("#message");
        Assert.Contains("已确认", await landlord.TextContentAsync("#message"));
        var room = landlord.Locator("li.room[data-room=\"201\"]");
        Assert.Equal("1", await room.GetAttributeAsync("data-occupants"));
        Assert.Equal(0, await landlord.Locator("article.pending", new() { HasText = name }).CountAsync());
        await ShotAsync(landlord, "landlord-2-confirmed.png");

        // The tenant looks the receipt up with their phone number and sees it confirmed.
        await tenant.GotoAsync("/r");
        await tenant.FillAsync("#receiptInput", receipt);
        await tenant.FillAsync("#phoneInput", phoneNumber);
        await tenant.ClickAsync("button[type=submit]");
        await tenant.WaitForSelectorAsync("#status");
        Assert.Equal("confirmed", await tenant.GetAttributeAsync("#status", "data-status"));
        Assert.Contains("房东已确认", await tenant.TextContentAsync("#status"));
        await ShotAsync(tenant, "landlord-3-tenant-receipt-confirmed.png");

        // Later the tenant leaves and the landlord records the move-out; the record stays as history.
        await landlord.Locator("article.tenant", new() { HasText = name }).Locator("a.move-out").ClickAsync();
        await landlord.WaitForURLAsync("**/landlord/registrations/**");
        Assert.Equal("confirmed", await landlord.GetAttributeAsync("#status", "data-status"));
        await ShotAsync(landlord, "landlord-4-registration.png");
        await landlord.ClickAsync("#move-out");
        await landlord.WaitForSelectorAsync("#message");
        Assert.Contains("已登记退租", await landlord.TextContentAsync("#message"));
        await landlord.GotoAsync($"/landlord?building={building.Id}");
        Assert.Equal("0", await landlord.Locator("li.room[data-room=\"201\"]").GetAttributeAsync("data-occupants"));
        await ShotAsync(landlord, "landlord-5-moved-out.png");

        var stored = await app.WithDbAsync(db => db.Registrations.AsNoTracking().SingleAsync(r => r.Receipt == receipt.Replace("-", "")));
        Assert.Equal(RegistrationStatus.Ended, stored.Status);
        Assert.Equal(EndReason.MovedOut, stored.EndReason);
        Assert.NotNull(stored.ConfirmedAt);
        Assert.NotNull(stored.MoveOutDate);
    }
}

public sealed class LandlordRoomsBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheLandlordAddsARoomAndASaveFromAnOutdatedTabIsRefused()
    {
        var building = await OccupancyData.NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        await using var phone = await app.PhoneAsync();
        var first = await phone.NewPageAsync();
        await first.GotoAsync("/login?ReturnUrl=%2Flandlord");
        await first.FillAsync("#username", "t.landlord.a");
        await first.FillAsync("#password", TestWorld.Password);
        await first.ClickAsync("button[type=submit]");
        await first.WaitForURLAsync("**/landlord");

        await first.GotoAsync($"/landlord/buildings/{building.Id}/rooms");
        await first.FillAsync("#new-number", "102");
        await first.FillAsync("#new-floor", "1");
        await first.FillAsync("#new-area", "15.5");
        await first.FillAsync("#new-beds", "3");
        await first.ClickAsync("#add");
        Assert.Contains("房间已新增", await first.TextContentAsync("#message"));
        Assert.Equal(1, await first.Locator("section.room-editor[data-room=\"102\"]").CountAsync());

        // Two tabs show room 101 at the same version; the first save wins, the second is refused.
        var second = await phone.NewPageAsync();
        await second.GotoAsync($"/landlord/buildings/{building.Id}/rooms");
        var inFirst = first.Locator("section.room-editor[data-room=\"101\"]");
        await inFirst.Locator("input[name=\"Input.Beds\"]").FillAsync("4");
        await inFirst.Locator("button.save").ClickAsync();
        Assert.Contains("房间已保存", await first.TextContentAsync("#message"));
        var inSecond = second.Locator("section.room-editor[data-room=\"101\"]");
        await inSecond.Locator("input[name=\"Input.Beds\"]").FillAsync("1");
        await inSecond.Locator("button.save").ClickAsync();
        Assert.Contains("已被他人修改", await second.TextContentAsync("#problem"));
        await second.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "landlord-6-rooms-conflict.png"), FullPage = true });

        var beds = await app.WithDbAsync(db => db.Rooms.Where(r => r.Id == building.Rooms["101"]).Select(r => r.Beds).SingleAsync());
        Assert.Equal(4, beds);
    }
}
