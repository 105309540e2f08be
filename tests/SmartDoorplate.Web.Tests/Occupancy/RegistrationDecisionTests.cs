using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Occupancy;

public sealed class RegistrationDecisionTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private async Task<(TestBuilding Building, TestRegistration Registration)> PendingAsync(string owner = "t.landlord.a", string grid = "T-A-01")
    {
        var building = await NewBuildingAsync(app, owner, grid, ("101", 2));
        var registration = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted);
        return (building, registration);
    }

    private Task<ResidenceRegistration> StoredAsync(Guid id) =>
        app.WithDbAsync(db => db.Registrations.AsNoTracking().SingleAsync(r => r.Id == id));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task ConfirmingByTheOwningLandlordMovesTheStatusAndRecordsWhoAndWhen()
    {
        var (_, registration) = await PendingAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var landlordId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "t.landlord.a").Select(u => u.Id).SingleAsync());

        var response = await landlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/confirm", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("confirmed", body.GetProperty("status").GetString());
        var stored = await StoredAsync(registration.Id);
        Assert.Equal(RegistrationStatus.Confirmed, stored.Status);
        Assert.Equal(landlordId, stored.ConfirmedById);
        Assert.NotNull(stored.ConfirmedAt);
        Assert.Equal($"\"{stored.Version}\"", response.Headers.ETag?.Tag);
        var audited = await app.WithDbAsync(db => db.AuditEvents.CountAsync(e =>
            e.Action == "registration_confirmed" && e.TargetId == registration.PersonId.ToString() && e.ActorUserId == landlordId));
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task ConfirmingAnotherLandlordsRegistrationAnswers404AndChangesNothing()
    {
        var (_, registration) = await PendingAsync(owner: "t.landlord.b", grid: "T-B-01");
        var before = await StoredAsync(registration.Id);
        var otherLandlord = await app.SignedInClientAsync("t.landlord.a");

        var response = await otherLandlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/confirm", new { });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var after = await StoredAsync(registration.Id);
        Assert.Equal(RegistrationStatus.Submitted, after.Status);
        Assert.Equal(before.Version, after.Version);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("If-Match")]
    public async Task AStaleConcurrencyTokenAnswers409AndChangesNothing(string sentAs)
    {
        var (_, registration) = await PendingAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var seen = (await StoredAsync(registration.Id)).Version;
        // Someone else changes the row after the landlord read it.
        await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == registration.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Employer, "改茶农贸市场")));

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/registrations/{registration.Id}/confirm")
        {
            Content = JsonContent.Create(new { version = sentAs == "body" ? seen : (uint?)null }),
        };
        if (sentAs == "If-Match") request.Headers.IfMatch.Add(new($"\"{seen}\""));
        var response = await landlord.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(" / ", (await JsonAsync(response)).GetProperty("title").GetString());
        Assert.Equal(RegistrationStatus.Submitted, (await StoredAsync(registration.Id)).Status);
    }

    [Fact]
    public async Task TheETagOfTheRegistrationLetsTheConfirmationThrough()
    {
        var (_, registration) = await PendingAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var read = await landlord.GetAsync($"/api/registrations/{registration.Id}");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/registrations/{registration.Id}/confirm");
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        var response = await landlord.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(read.Headers.ETag!.Tag, response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task ConfirmingTwiceAnswers409WithABilingualTitle()
    {
        var (_, registration) = await PendingAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        await landlord.PostAsync($"/api/registrations/{registration.Id}/confirm", null);
        var again = await landlord.PostAsync($"/api/registrations/{registration.Id}/confirm", null);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var title = (await JsonAsync(again)).GetProperty("title").GetString()!;
        Assert.Contains("只有待确认的登记可以确认", title);
        Assert.Contains("Only a submitted registration can be confirmed", title);
    }

    [Fact]
    public async Task ConfirmingTakesTheRegistrationsNameAndPhoneAndEndsThePersonsOtherOpenRegistrations()
    {
        var old = await NewBuildingAsync(app, "t.landlord.b", "T-B-01", ("201", 1));
        var oldRegistration = await NewRegistrationAsync(app, old.Id, old.Rooms["201"], RegistrationStatus.Verified,
            moveIn: DateOnly.FromDateTime(DateTime.Today.AddYears(-1)), name: "赵大年");
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        var registration = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted, personId: oldRegistration.PersonId);
        await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == registration.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.SubmittedName, "赵大明")));
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var response = await landlord.PostAsync($"/api/registrations/{registration.Id}/confirm", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var person = await app.WithDbAsync(db => db.Persons.AsNoTracking().SingleAsync(p => p.Id == registration.PersonId));
        var contactIndex = await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == registration.Id).Select(r => r.ContactPhoneIndex).SingleAsync());
        Assert.Equal("赵大明", person.Name);
        Assert.Equal(contactIndex, person.PhoneIndex);
        var ended = await StoredAsync(oldRegistration.Id);
        Assert.Equal(RegistrationStatus.Ended, ended.Status);
        Assert.Equal(EndReason.Superseded, ended.EndReason);
        Assert.Equal(DateOnly.FromDateTime(DateTime.Today.AddDays(-5)), ended.MoveOutDate);
        var audited = await app.WithDbAsync(db => db.AuditEvents
            .Where(e => e.Action == "registration_superseded" && e.TargetId == registration.PersonId.ToString())
            .Select(e => e.Details).SingleAsync());
        Assert.Contains(oldRegistration.Id.ToString(), audited);
    }

    [Fact]
    public async Task RejectingNeedsAReasonFromTheListAndTheTenantsReceiptShowsIt()
    {
        var (_, registration) = await PendingAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var noReason = await landlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/reject", new { reason = "" });
        var otherWithoutText = await landlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/reject", new { reason = "other" });
        var rejected = await landlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/reject", new { reason = "wrong_room", text = "住在 102" });
        var receipt = await app.CreateClient().GetAsync($"/api/registrations/receipt/{registration.Receipt}?phone={registration.Phone}");

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains(" / ", (await JsonAsync(noReason)).GetProperty("errors").GetProperty("reason")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, otherWithoutText.StatusCode);
        Assert.True((await JsonAsync(otherWithoutText)).GetProperty("errors").TryGetProperty("text", out _));
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("wrong_room", (await JsonAsync(rejected)).GetProperty("rejectionCode").GetString());
        var status = await JsonAsync(receipt);
        Assert.Equal("rejected", status.GetProperty("status").GetString());
        Assert.Equal("wrong_room", status.GetProperty("rejectionCode").GetString());
        Assert.Equal("房间号不符：住在 102", status.GetProperty("rejectionReason").GetString());
    }

    [Fact]
    public async Task AFreeTextReasonIsTakenAsOtherWithThatText()
    {
        var (_, registration) = await PendingAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var response = await landlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/reject", new { reason = "不认识此人" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await StoredAsync(registration.Id);
        Assert.Equal(RejectionCode.Other, stored.RejectionCode);
        Assert.Equal("不认识此人", stored.RejectionReason);
    }

    [Fact]
    public async Task PoliceOfTheScopeVerifyAConfirmedRegistrationButNotASubmittedOne()
    {
        var (_, registration) = await PendingAsync();
        var officer = await app.SignedInClientAsync("t.officer.a");
        var otherOfficer = await app.SignedInClientAsync("t.officer.b");
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var tooEarly = await officer.PostAsync($"/api/registrations/{registration.Id}/verify", null);
        await landlord.PostAsync($"/api/registrations/{registration.Id}/confirm", null);
        var byLandlord = await landlord.PostAsync($"/api/registrations/{registration.Id}/verify", null);
        var byOtherStation = await otherOfficer.PostAsync($"/api/registrations/{registration.Id}/verify", null);
        var verified = await officer.PostAsync($"/api/registrations/{registration.Id}/verify", null);

        Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byLandlord.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherStation.StatusCode);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var stored = await StoredAsync(registration.Id);
        Assert.Equal(RegistrationStatus.Verified, stored.Status);
        Assert.NotNull(stored.VerifiedAt);
        Assert.Equal(await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "t.officer.a").Select(u => (long?)u.Id).SingleAsync()), stored.VerifiedById);
    }

    [Fact]
    public async Task PoliceOfTheScopeCanConfirmAndRejectButAnotherStationCannot()
    {
        var (building, toConfirm) = await PendingAsync();
        var toReject = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Submitted);
        var officer = await app.SignedInClientAsync("t.officer.a");
        var otherOfficer = await app.SignedInClientAsync("t.officer.b");

        var refused = await otherOfficer.PostAsync($"/api/registrations/{toConfirm.Id}/confirm", null);
        var confirmed = await officer.PostAsync($"/api/registrations/{toConfirm.Id}/confirm", null);
        var rejected = await officer.PostAsJsonAsync($"/api/registrations/{toReject.Id}/reject", new { reason = "not_a_tenant" });

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(RegistrationStatus.Rejected, (await StoredAsync(toReject.Id)).Status);
    }

    [Fact]
    public async Task TheLandlordRecordsAMoveOutAndTheRowStaysAsHistory()
    {
        var building = await NewBuildingAsync(app, "t.landlord.a", "T-A-01", ("101", 2));
        var registration = await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed,
            moveIn: DateOnly.FromDateTime(DateTime.Today.AddDays(-40)));
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var badDate = await landlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/move-out", new { date = Day(-60) });
        var movedOut = await landlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/move-out", new { date = Day(-1) });
        var again = await landlord.PostAsJsonAsync($"/api/registrations/{registration.Id}/move-out", new { date = Day(0) });

        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.True((await JsonAsync(badDate)).GetProperty("errors").TryGetProperty("date", out _));
        Assert.Equal(HttpStatusCode.OK, movedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var stored = await StoredAsync(registration.Id);
        Assert.Equal(RegistrationStatus.Ended, stored.Status);
        Assert.Equal(EndReason.MovedOut, stored.EndReason);
        Assert.Equal(DateOnly.FromDateTime(DateTime.Today.AddDays(-1)), stored.MoveOutDate);
        Assert.NotNull(stored.ConfirmedAt);
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e =>
            e.Action == "registration_moved_out" && e.TargetId == registration.PersonId.ToString())));
    }

    [Fact]
    public async Task AnIfMatchThatThisServerNeverIssuedIsRefusedAsBadInput()
    {
        var (_, registration) = await PendingAsync();
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/registrations/{registration.Id}/confirm");
        request.Headers.TryAddWithoutValidation("If-Match", "\"not-a-version\"");

        var response = await landlord.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RegistrationStatus.Submitted, (await StoredAsync(registration.Id)).Status);
    }
}
