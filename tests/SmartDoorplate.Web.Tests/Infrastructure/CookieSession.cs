using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using SmartDoorplate.Accounts;

namespace SmartDoorplate.Web.Tests.Infrastructure;

// A browser's session as a test holds it by hand (no cookie container): the session cookie from the
// sign-in API, and the anti-forgery cookie and token that state-changing requests signed in by that
// cookie must carry (Accounts/CookieAntiforgery).
public sealed record CookieSession(string SessionCookie, string AntiforgeryCookie, string Token)
{
    public static async Task<CookieSession> SignInAsync(WebApplicationFactory<Program> app, string userName, string password = TestWorld.Password)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var login = await client.PostAsJsonAsync("/api/auth/login", new { username = userName, password });
        login.EnsureSuccessStatusCode();
        var session = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sd.session=", StringComparison.Ordinal)).Split(';')[0];
        return await ForCookieAsync(app, session);
    }

    public static async Task<CookieSession> ForCookieAsync(WebApplicationFactory<Program> app, string sessionCookie)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/antiforgery");
        request.Headers.Add("Cookie", sessionCookie);
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<AntiforgeryTokenDto>())!;
        var antiforgeryCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).Split(';')[0];
        return new CookieSession(sessionCookie, antiforgeryCookie, token.Token);
    }

    // Both cookies, as the browser sends them; withToken adds the header our own pages' scripts send.
    public HttpRequestMessage Request(HttpMethod method, string url, bool withToken, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Add("Cookie", SessionCookie + "; " + AntiforgeryCookie);
        if (withToken) request.Headers.Add(CookieAntiforgery.HeaderName, Token);
        return request;
    }
}
