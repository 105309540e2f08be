using System.Net;
using Microsoft.Playwright;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Browser;

// The header's sign-out buttons end sessions on the server, not only in the browser that pressed them:
// a copy of the cookie (another browser, a script) is refused afterwards.
public sealed class SignOutBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SigningOutOnThePageEndsTheSessionForACopyOfItsCookieToo()
    {
        await using var phone = await app.PhoneAsync();
        var page = await SignInAsync(phone, "t.landlord.a");
        var cookie = await SessionCookieAsync(phone);
        using var copy = CookieClient(cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/auth/me")).StatusCode);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "sign-out-header.png") });

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/login**");

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/auth/me")).StatusCode);
        await page.GotoAsync("/landlord");
        await page.WaitForURLAsync("**/login**");
    }

    [Fact]
    public async Task SigningOutEverywhereSendsTheAccountsOtherBrowsersToTheSignInPage()
    {
        await using var phone = await app.PhoneAsync();
        await using var desk = await app.PhoneAsync();
        var onPhone = await SignInAsync(phone, "t.landlord.b");
        var onDesk = await SignInAsync(desk, "t.landlord.b");

        await onDesk.ClickAsync("#sign-out-everywhere");
        await onDesk.WaitForURLAsync("**/login**");

        await onPhone.GotoAsync("/landlord");
        await onPhone.WaitForURLAsync("**/login**");
        Assert.Contains("/login", onPhone.Url);
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, string userName)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/landlord");
        await page.WaitForURLAsync("**/login**");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", TestWorld.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/landlord");
        return page;
    }

    private static async Task<string> SessionCookieAsync(IBrowserContext context) =>
        (await context.CookiesAsync()).Single(c => c.Name == "sd.session").Value;

    // Outside the browser, on the app's real port: a script holding a copy of the cookie.
    private HttpClient CookieClient(string value)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.Add("Cookie", $"sd.session={value}");
        return client;
    }
}
