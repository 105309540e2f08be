using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Occupancy;

public static class CookieSignIn
{
    // The session cookie the sign-in API sets is what a browser would use on the pages.
    public static async Task<HttpClient> SignedInBrowserAsync(this AppFactory app, string userName)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = userName, password = TestWorld.Password });
        response.EnsureSuccessStatusCode();
        return client;
    }

    public static string AntiForgeryToken(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
}

public sealed partial class LandlordPageTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [GeneratedRegex("<li class=\"room\" data-room-id=\"(\\d+)\" data-room=\"[^\"]*\" data-beds=\"(\\d+)\" data-occupants=\"(\\d+)\" data-vacancies=\"(\\d+)\"")]
    private static partial Regex RoomPattern();

    [Fact]
    public async Task OccupancyCountsOnTheLandlordPageEqualTheCurrentRegistrationsPerRoom()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2), ("102", 1), ("103", 3));
        var statuses = new (string Room, RegistrationStatus Status)[]
        {
            ("101", RegistrationStatus.Confirmed), ("101", RegistrationStatus.Verified), ("101", RegistrationStatus.Submitted),
            ("101", RegistrationStatus.Ended), ("101", RegistrationStatus.Rejected),
            ("102", RegistrationStatus.Confirmed), ("102", RegistrationStatus.Verified), ("102", RegistrationStatus.Ended),
        };
        foreach (var (room, status) in statuses) await NewRegistrationAsync(app, building.Id, building.Rooms[room], status);
        var browser = await app.SignedInBrowserAsync("t.landlord.a");

        // Rooms are shown for the building the landlord picks: one page no longer lists every building's rooms.
        var html = await browser.GetStringAsync($"/landlord?building={building.Id}");

        var shown = RoomPattern().Matches(html).ToDictionary(m => long.Parse(m.Groups[1].Value), m => int.Parse(m.Groups[3].Value));
        var expected = await app.WithDbAsync(db => db.Rooms.Where(r => r.BuildingId == building.Id)
            .Select(r => new
            {
                r.Id,
                Current = db.Registrations.Count(g => g.RoomId == r.Id
                    && (g.Status == RegistrationStatus.Confirmed || g.Status == RegistrationStatus.Verified) && g.MoveOutDate == null),
            })
            .ToDictionaryAsync(r => r.Id, r => r.Current));
        foreach (var (roomId, count) in expected) Assert.Equal(count, shown[roomId]);
        Assert.Equal(2, shown[building.Rooms["101"]]);
        Assert.Equal(2, shown[building.Rooms["102"]]);
        Assert.Equal(0, shown[building.Rooms["103"]]);
        var vacancies = RoomPattern().Matches(html).Single(m => m.Groups[1].Value == building.Rooms["103"].ToString()).Groups[4].Value;
        Assert.Equal("3", vacancies);
    }

    [Fact]
    public async Task PendingRegistrationsShowTheirAgeAndTheDeadlineAndMaskIdNumbersAndPhones()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        var fresh = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddHours(-5));
        var old = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, submittedAt: DateTimeOffset.UtcNow.AddDays(-4));
        var browser = await app.SignedInBrowserAsync("t.landlord.a");

        var html = await browser.GetStringAsync($"/landlord?building={building.Id}");

        Assert.Matches($"data-registration-id=\"{fresh.Id}\" data-overdue=\"false\"", html);
        Assert.Matches($"data-registration-id=\"{old.Id}\" data-overdue=\"true\"", html);
        Assert.Contains("4 天前提交", html);
        Assert.Contains("确认期限", html);
        Assert.DoesNotContain(fresh.IdNumber, html);
        Assert.DoesNotContain(fresh.Phone, html);
        Assert.Contains(fresh.IdNumber[..4] + "**********" + fresh.IdNumber[^4..], html);
        Assert.Contains(fresh.Phone[..3] + "****" + fresh.Phone[^4..], html);
    }

    [Fact]
    public async Task ConfirmingOnThePageNeedsTheAntiForgeryTokenAndThenConfirms()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        var pending = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted);
        var version = await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == pending.Id).Select(r => r.Version).SingleAsync());
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var token = CookieSignIn.AntiForgeryToken(await browser.GetStringAsync("/landlord"));
        FormUrlEncodedContent Form(bool withToken) => new(new Dictionary<string, string>
        {
            ["id"] = pending.Id.ToString(), ["version"] = version.ToString(),
            ["__RequestVerificationToken"] = withToken ? token : "",
        });

        var forged = await browser.PostAsync("/landlord?handler=Confirm", Form(withToken: false));
        var status = await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == pending.Id).Select(r => r.Status).SingleAsync());
        var confirmed = await browser.PostAsync("/landlord?handler=Confirm", Form(withToken: true));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(RegistrationStatus.Submitted, status);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(RegistrationStatus.Confirmed,
            await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == pending.Id).Select(r => r.Status).SingleAsync()));
    }

    [Fact]
    public async Task TheLandlordPagesSendStrangersToSignInAndKeepPoliceOut()
    {
        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var officer = await app.SignedInBrowserAsync("t.officer.a");

        var stranger = await anonymous.GetAsync("/landlord");
        var police = await officer.GetAsync("/landlord");

        Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
        Assert.StartsWith("/login", stranger.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, police.StatusCode);
    }

    [Fact]
    public async Task AnotherLandlordsRegistrationPageIsNotFound()
    {
        var building = await NewBuildingAsync(app, "t.landlord.b", "T-B-01", ("101", 2));
        var theirs = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted);
        var browser = await app.SignedInBrowserAsync("t.landlord.a");

        var response = await browser.GetAsync($"/landlord/registrations/{theirs.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RejectingOnThePageWithoutAReasonShowsTheFieldErrorAndKeepsTheRegistrationPending()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        var pending = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted);
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var page = await browser.GetStringAsync($"/landlord/registrations/{pending.Id}");

        var response = await browser.PostAsync($"/landlord/registrations/{pending.Id}?handler=Reject", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Reason"] = "", ["Text"] = "", ["__RequestVerificationToken"] = CookieSignIn.AntiForgeryToken(page),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("请从列表中选择拒绝原因", await response.Content.ReadAsStringAsync());
        Assert.Equal(RegistrationStatus.Submitted,
            await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == pending.Id).Select(r => r.Status).SingleAsync()));
    }
}
