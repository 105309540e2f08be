using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Registrations;

public sealed class ReceiptLookUpLimitTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private const int Limit = 5; // RegistrationOptions.MaxWrongPhonesPerReceiptPerHour

    [Fact]
    public async Task TheLookUpsTakeThePhoneInAPostBodyAndTheDeprecatedGetsAnswerTheSame()
    {
        var tenant = await NewTenantAsync();
        var client = app.CreateClient();

        var posted = await client.PostAsJsonAsync($"/api/registrations/receipt/{tenant.Receipt}", new { phone = tenant.Phone });
        var got = await client.GetAsync($"/api/registrations/receipt/{tenant.Receipt}?phone={tenant.Phone}");
        var postedLog = await client.PostAsJsonAsync($"/api/registrations/receipt/{tenant.Receipt}/access-log", new { phone = tenant.Phone });
        var gotLog = await client.GetAsync($"/api/registrations/receipt/{tenant.Receipt}/access-log?phone={tenant.Phone}");
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal(await posted.Content.ReadAsStringAsync(), await got.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, postedLog.StatusCode);
        Assert.Equal(await postedLog.Content.ReadAsStringAsync(), await gotLog.Content.ReadAsStringAsync());
        Assert.True(openApi.GetProperty("paths").GetProperty("/api/registrations/receipt/{receipt}/access-log").GetProperty("get").GetProperty("deprecated").GetBoolean());
        var path = openApi.GetProperty("paths").GetProperty("/api/registrations/receipt/{receipt}");
        Assert.True(path.GetProperty("get").GetProperty("deprecated").GetBoolean());
        Assert.False(path.GetProperty("post").TryGetProperty("deprecated", out var postDeprecated) && postDeprecated.GetBoolean());
        Assert.True(path.GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public async Task AWrongPhoneAndAnUnknownReceiptGetTheSameAnswersBeforeAndAfterTheLimit()
    {
        var tenant = await NewTenantAsync();
        var unknown = RegistrationReceipt.New();
        var client = app.CreateClient();

        var wrong = new List<(HttpStatusCode, string, string?)>();
        var notKnown = new List<(HttpStatusCode, string, string?)>();
        for (var i = 0; i <= Limit; i++)
        {
            var phone = "1390000" + (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            wrong.Add(await AnswerAsync(await client.PostAsJsonAsync($"/api/registrations/receipt/{tenant.Receipt}", new { phone })));
            notKnown.Add(await AnswerAsync(await client.PostAsJsonAsync($"/api/registrations/receipt/{unknown}", new { phone })));
        }
        var rightPhoneAfterwards = await client.PostAsJsonAsync($"/api/registrations/receipt/{tenant.Receipt}", new { phone = tenant.Phone });
        var otherWayAfterwards = await client.GetAsync($"/api/registrations/receipt/{tenant.Receipt}/access-log?phone={tenant.Phone}");

        Assert.Equal(wrong, notKnown);
        Assert.All(wrong.Take(Limit), a => Assert.Equal(HttpStatusCode.NotFound, a.Item1));
        Assert.Equal(HttpStatusCode.TooManyRequests, wrong[Limit].Item1);
        Assert.NotNull(wrong[Limit].Item3);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPhoneAfterwards.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, otherWayAfterwards.StatusCode);
        var blocks = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "receipt_look_up_blocked" && e.At > DateTimeOffset.UtcNow.AddMinutes(-5)).ToListAsync());
        Assert.Single(blocks, e => e.TargetId == tenant.Id.ToString("D") && e.TargetType == "registration");
        Assert.Contains(blocks, e => e.TargetId == null && e.Details!.Contains("\"known\": false"));
    }

    [Fact]
    public async Task TheRightPhoneWithinTheLimitStillFindsTheRegistration()
    {
        var tenant = await NewTenantAsync();
        var client = app.CreateClient();
        for (var i = 0; i < Limit - 1; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/registrations/receipt/{tenant.Receipt}", new { phone = "13900002222" })).StatusCode);

        var found = await client.PostAsJsonAsync($"/api/registrations/receipt/{tenant.Receipt}", new { phone = tenant.Phone });

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
    }

    [Fact]
    public async Task TheCountIsSharedByEveryInstanceOfTheApp()
    {
        var tenant = await NewTenantAsync();
        // A second instance: its own host and memory, the same database.
        using var otherInstance = app.WithWebHostBuilder(_ => { });
        for (var i = 0; i < Limit; i++)
            await app.CreateClient().PostAsJsonAsync($"/api/registrations/receipt/{tenant.Receipt}", new { phone = "13900003333" });

        var there = await otherInstance.CreateClient().PostAsJsonAsync($"/api/registrations/receipt/{tenant.Receipt}", new { phone = tenant.Phone });

        Assert.Equal(HttpStatusCode.TooManyRequests, there.StatusCode);
        Assert.True(int.Parse(there.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 3000 and <= 3600);
    }

    [Fact]
    public async Task TheReceiptPageGivesTheSameAnswerToAWrongPhoneAndAnUnknownReceipt()
    {
        var tenant = await NewTenantAsync();

        var wrong = await PageLookUpAsync(tenant.Receipt, "13900004444");
        var unknown = await PageLookUpAsync(RegistrationReceipt.New(), "13900004444");

        Assert.Equal(HttpStatusCode.NotFound, wrong.Status);
        Assert.Equal(wrong.Status, unknown.Status);
        Assert.Equal(wrong.Error, unknown.Error);
        Assert.Contains("回执号或手机号不正确", wrong.Error);
    }

    private async Task<(HttpStatusCode Status, string Error)> PageLookUpAsync(string receipt, string phone)
    {
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var token = Occupancy.CookieSignIn.AntiForgeryToken(await browser.GetStringAsync("/r"));
        var response = await browser.PostAsync("/r?handler=Lookup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Receipt"] = receipt, ["Phone"] = phone, ["__RequestVerificationToken"] = token,
        }));
        var html = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, System.Text.RegularExpressions.Regex.Match(html, "<p class=\"error\" role=\"alert\">([^<]*)</p>").Groups[1].Value);
    }

    // Status, body without its trace id (which differs per request), and Retry-After.
    private static async Task<(HttpStatusCode, string, string?)> AnswerAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        // Seconds left in the hour can differ by one between two requests.
        return (response.StatusCode, body.ToJsonString(), retryAfter is null ? null : (int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture) / 60).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<Occupancy.TestRegistration> NewTenantAsync()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        return await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted);
    }
}
