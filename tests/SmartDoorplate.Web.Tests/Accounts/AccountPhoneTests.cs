using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Audit;
using SmartDoorplate.Privacy;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Occupancy;

namespace SmartDoorplate.Web.Tests.Accounts;

// An account's contact phone, set by an admin from the console's pages and the API: stored only
// encrypted, checked by the tenants' mobile rule, audited without the number.
public sealed class AccountPhoneTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static string NewName(string prefix) => $"{prefix}.{Guid.NewGuid():N}"[..30];

    // A valid mainland mobile number no other test uses.
    private static string NewPhone() => "139" + Random.Shared.NextInt64(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string page, string action, IDictionary<string, string> fields)
    {
        var token = CookieSignIn.AntiForgeryToken(await browser.GetStringAsync(page));
        Assert.NotEmpty(token);
        return await browser.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    private Task<byte[]?> RawPhoneAsync(string userName) => app.WithDbAsync(db => db.Database
        .SqlQuery<byte[]?>($"select contact_phone_cipher as \"Value\" from users where user_name = {userName}").SingleAsync());

    private string Decrypt(byte[] cipher) => app.Services.GetRequiredService<PersonalDataProtector>().Decrypt(cipher);

    private Task<List<string>> PhoneEventsAsync(long id) => app.WithDbAsync(db => db.AuditEvents
        .Where(e => e.Action == AuditActions.AccountPhoneSet.Code && e.TargetId == id.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Select(e => e.Details!).ToListAsync());

    private Task<long> IdOfAsync(string userName) => app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task ALandlordCreatedWithAFullWidthPhoneHasItStoredOnlyEncryptedAsElevenDigits()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var name = NewName("phone.new");
        var phone = NewPhone();
        var typed = string.Concat(phone.Select(c => (char)(c - '0' + '０'))).Insert(3, " ");

        var response = await PostFormAsync(admin, "/accounts", "/accounts?handler=Create", new Dictionary<string, string>
        {
            ["Input.Username"] = name, ["Input.DisplayName"] = "电话房东", ["Input.Role"] = "landlord", ["Input.Password"] = "Console-pass-2026",
            ["Input.Phone"] = typed,
        });
        var raw = await RawPhoneAsync(name);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(raw);
        Assert.DoesNotContain(phone, Encoding.UTF8.GetString(raw));
        Assert.DoesNotContain(phone, Convert.ToHexString(raw));
        Assert.Equal(phone, Decrypt(raw));
        var listed = await admin.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.DoesNotContain(phone, listed);
        Assert.DoesNotContain("无联系电话", listed);
    }

    [Fact]
    public async Task AnAdminSetsAPhoneFromTheAccountsPageAndTheEventNamesNoNumber()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var name = NewName("phone.set");
        var phone = NewPhone();
        var api = await app.SignedInClientAsync("t.admin");
        (await api.PostAsJsonAsync("/api/accounts", new { username = name, displayName = "无电话房东", role = "landlord", password = "Console-pass-2026" }))
            .EnsureSuccessStatusCode();
        var id = await IdOfAsync(name);
        var before = await admin.GetStringAsync($"/accounts?q={name}");

        var response = await PostFormAsync(admin, $"/accounts/{id}/phone", $"/accounts/{id}/phone", new Dictionary<string, string> { ["Phone"] = "+86 " + phone });
        var page = await admin.GetStringAsync($"/accounts/{id}/phone");
        var events = await PhoneEventsAsync(id);

        Assert.Contains("无联系电话", before);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/accounts?done=phone-set&q={name}", response.Headers.Location?.OriginalString);
        Assert.Equal(phone, Decrypt((await RawPhoneAsync(name))!));
        Assert.Contains(phone[..3] + "****" + phone[7..], page);
        Assert.DoesNotContain(phone, page);
        var only = Assert.Single(events);
        Assert.DoesNotContain(phone[3..], only);
        Assert.True(JsonDocument.Parse(only).RootElement.GetProperty("phoneSet").GetBoolean());
    }

    [Fact]
    public async Task ABadPhoneIsAFieldErrorOnThePageAndTheApiAndChangesNothing()
    {
        var admin = await app.SignedInBrowserAsync("t.admin");
        var api = await app.SignedInClientAsync("t.admin");
        var name = NewName("phone.bad");
        var phone = NewPhone();
        (await api.PostAsJsonAsync("/api/accounts", new { username = name, displayName = "电话房东", role = "landlord", password = "Console-pass-2026", phone }))
            .EnsureSuccessStatusCode();
        var id = await IdOfAsync(name);
        var stored = await RawPhoneAsync(name);
        var refusedName = NewName("phone.refused");

        var onPage = await PostFormAsync(admin, $"/accounts/{id}/phone", $"/accounts/{id}/phone", new Dictionary<string, string> { ["Phone"] = "1234567" });
        var onApi = await api.PostAsJsonAsync($"/api/accounts/{id}/phone", new { phone = "0851-1234567" });
        var onCreate = await api.PostAsJsonAsync("/api/accounts", new { username = refusedName, displayName = "x", role = "landlord", password = "Console-pass-2026", phone = "12345678901" });

        Assert.Equal(HttpStatusCode.BadRequest, onPage.StatusCode);
        Assert.Contains("id=\"phone-error\"", await onPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, onApi.StatusCode);
        var problem = JsonDocument.Parse(await onApi.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("手机号码", problem.GetProperty("errors").GetProperty("phone")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, onCreate.StatusCode);
        Assert.True(JsonDocument.Parse(await onCreate.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(stored, await RawPhoneAsync(name));
        Assert.Empty(await PhoneEventsAsync(id));
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == refusedName)));
    }

    [Fact]
    public async Task AnEmptyPhoneRemovesItAndOnlyAdminsMaySetOne()
    {
        var api = await app.SignedInClientAsync("t.admin");
        var name = NewName("phone.clear");
        (await api.PostAsJsonAsync("/api/accounts", new { username = name, displayName = "电话房东", role = "landlord", password = "Console-pass-2026", phone = NewPhone() }))
            .EnsureSuccessStatusCode();
        var id = await IdOfAsync(name);

        var byOfficer = await (await app.SignedInClientAsync("t.officer.a")).PostAsJsonAsync($"/api/accounts/{id}/phone", new { phone = NewPhone() });
        var cleared = await api.PostAsJsonAsync($"/api/accounts/{id}/phone", new { phone = "" });
        var missing = await api.PostAsJsonAsync("/api/accounts/987654321/phone", new { phone = NewPhone() });

        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Null(await RawPhoneAsync(name));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.False(JsonDocument.Parse(Assert.Single(await PhoneEventsAsync(id))).RootElement.GetProperty("phoneSet").GetBoolean());
    }
}
