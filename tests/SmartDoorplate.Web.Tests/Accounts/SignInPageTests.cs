using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Accounts;

public sealed class SignInPageTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public async Task SignInPagePostWithTheAntiForgeryTokenStartsASession()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetStringAsync("/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = "t.chief.a", ["Password"] = TestWorld.Password, ["__RequestVerificationToken"] = token,
        }));

        Assert.Contains("工作人员登录", page);
        Assert.NotEmpty(token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sd.session="));
    }

    [Fact]
    public async Task SignInPagePostWithoutTheAntiForgeryTokenIsRefused()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = "t.chief.a", ["Password"] = TestWorld.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("sd.session=")));
    }

    [Fact]
    public async Task WrongPasswordOnThePageShowsTheMessageInChinese()
    {
        var client = app.CreateClient();
        var page = await client.GetStringAsync("/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = "t.chief.a", ["Password"] = "wrong-password", ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync());
    }
}

public sealed class HomePageTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Theory]
    [InlineData("t.landlord.a", "/landlord")]
    [InlineData("t.officer.a", "/police/map")]
    [InlineData("t.admin", "/accounts")]
    public async Task SignedInStaffLandOnTheirOwnWorkPage(string user, string expected)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await client.PostAsync("/api/auth/login", System.Net.Http.Json.JsonContent.Create(new { username = user, password = TestWorld.Password }));

        var home = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal(expected, home.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AnonymousVisitorsAreToldToScanTheirDoorplate()
    {
        var page = await app.CreateClient().GetStringAsync("/");

        Assert.Contains("扫描门牌上的二维码", page);
    }
}
