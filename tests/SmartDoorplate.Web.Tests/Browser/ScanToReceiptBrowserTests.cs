using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SmartDoorplate.Analytics.Identity;

namespace SmartDoorplate.Web.Tests.Browser;

public sealed class ScanToReceiptBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ATenantScansFixesAMistakeAndGetsAReceiptOnAPhone()
    {
        var first17 = "52272219980214003";
        var idNumber = first17 + ResidentIdNumber.ComputeCheckDigit(first17);
        var typo = first17 + (ResidentIdNumber.ComputeCheckDigit(first17) == '1' ? '2' : '1');
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();

        var scan = await page.GotoAsync($"/d/{app.World.PlateA}");
        Assert.Equal(200, scan!.Status);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "1-scan.png"), FullPage = true });
        await page.ClickAsync("text=我要登记");

        await page.FillAsync("#name", "陈晓东");
        await page.FillAsync("#idNumber", typo);
        await page.FillAsync("#phone", "138 0013 8001");
        await page.SelectOptionAsync("#room", "101");
        await page.SelectOptionAsync("#reason", "work");
        await page.CheckAsync("#consent");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "2-form.png"), FullPage = true });
        await page.ClickAsync("#submit");

        var idError = await page.TextContentAsync("#idNumber-error");
        Assert.Contains("校验位", idError);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "3-validation-error.png"), FullPage = true });
        // What the tenant typed is kept, apart from the field to fix.
        Assert.Equal("陈晓东", await page.InputValueAsync("#name"));
        Assert.True(await page.IsCheckedAsync("#consent"));

        await page.FillAsync("#idNumber", idNumber);
        await page.ClickAsync("#submit");

        await page.WaitForURLAsync("**/r/**");
        var receipt = (await page.TextContentAsync("#receipt"))!.Trim();
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", receipt);
        Assert.Equal("submitted", await page.GetAttributeAsync("#status", "data-status"));
        Assert.Contains("等待房东确认", await page.TextContentAsync("#status"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "4-receipt.png"), FullPage = true });

        var stored = await app.WithDbAsync(db => db.Registrations.IgnoreQueryFilters().CountAsync(r => r.Receipt == receipt.Replace("-", "")));
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task TheFormSpeaksEnglishWhenAskedAndWorksWithoutJavaScript()
    {
        await using var context = await app.Browser.NewContextAsync(new()
        {
            JavaScriptEnabled = false, BaseURL = app.BaseUrl, Locale = "en-US", ViewportSize = new() { Width = 390, Height = 844 },
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/d/{app.World.PlateA}/register?lang=en");
        await page.ClickAsync("#submit");

        Assert.Equal("Enter your name", (await page.TextContentAsync("#name-error"))?.Trim());
        Assert.Equal("Read and accept the personal information notice", (await page.TextContentAsync("#consent-error"))?.Trim());
    }
}
