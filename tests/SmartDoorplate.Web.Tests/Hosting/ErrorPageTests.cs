using System.Net;
using Microsoft.AspNetCore.Hosting;
using SmartDoorplate.Web.Tests.Accounts;

namespace SmartDoorplate.Web.Tests.Hosting;

// Page routes answer errors as pages in the reader's language; the API keeps problem details.
public sealed class ErrorPageTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public async Task AnUnknownPageIsA404PageInChineseOrEnglishAndAnUnknownApiPathIsAProblem()
    {
        var client = app.CreateClient();

        var chinese = await client.GetAsync("/no-such-page");
        var english = await client.GetAsync("/no-such-page?lang=en");
        var api = await client.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, chinese.StatusCode);
        Assert.Equal("text/html", chinese.Content.Headers.ContentType?.MediaType);
        var zh = await chinese.Content.ReadAsStringAsync();
        Assert.Contains("页面不存在", zh);
        Assert.Contains("<html lang=\"zh-CN\">", zh);
        var en = await english.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, english.StatusCode);
        Assert.Contains("Page not found", en);
        Assert.Contains("<html lang=\"en\">", en);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PastTheAnonymousLimitAPageSaysWhenToRetryAndTheApiAnswersAProblem()
    {
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("SD_ANON_RATE_LIMIT", "2"));
        var client = limited.CreateClient();
        for (var i = 0; i < 2; i++) await client.GetAsync($"/d/{app.World.PlateA}?lang=en");

        var page = await client.GetAsync($"/d/{app.World.PlateA}?lang=en");
        var api = await client.GetAsync($"/api/doorplates/{app.World.PlateA}");

        Assert.Equal((HttpStatusCode)429, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var seconds = int.Parse(page.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Too many requests", html);
        Assert.Contains($"Try again in {seconds} seconds", html);
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Equal((HttpStatusCode)429, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }
}
