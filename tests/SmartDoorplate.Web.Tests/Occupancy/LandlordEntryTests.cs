using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Occupancy;

public sealed class LandlordEntryTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static object Body(long buildingId, string idNumber, string phone, string room = "101", bool consent = true, string name = "孙秀兰") => new
    {
        buildingId, room, name, idNumber, phone, moveInDate = Day(-2), reason = "family", consent,
    };

    [Fact]
    public async Task ALandlordRegistersATenantWithoutASmartphoneStraightToConfirmed()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var landlordId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "t.landlord.a").Select(u => u.Id).SingleAsync());
        var phone = NewPhone();

        var response = await landlord.PostAsJsonAsync("/api/landlord/registrations", Body(building.Id, NewIdNumber("410102"), phone));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("confirmed", body.GetProperty("status").GetString());
        var stored = await app.WithDbAsync(db => db.Registrations.AsNoTracking().SingleAsync(r => r.Id == body.GetProperty("id").GetGuid()));
        Assert.Equal(RegistrationChannel.Landlord, stored.Channel);
        Assert.Equal(landlordId, stored.EnteredById);
        Assert.Equal(landlordId, stored.ConfirmedById);
        Assert.NotNull(stored.ConfirmedAt);
        Assert.Equal(building.Rooms["101"], stored.RoomId);
        // The tenant can still look it up, with the receipt the landlord hands over and their phone.
        var receipt = await app.CreateClient().GetAsync($"/api/registrations/receipt/{body.GetProperty("receipt").GetString()}?phone={phone}");
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
    }

    public static TheoryData<string, string> BadEntries => new()
    {
        { "idNumber", "wrong check digit" },
        { "phone", "not a mobile number" },
        { "room", "a room the building does not have" },
        { "consent", "no consent" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task AnEntryIsValidatedLikeATenantsOwnFieldByField(string field, string because)
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var idNumber = NewIdNumber();
        var body = field switch
        {
            "idNumber" => Body(building.Id, idNumber[..17] + (idNumber[17] == '1' ? '2' : '1'), NewPhone()),
            "phone" => Body(building.Id, idNumber, "12345678901"),
            "room" => Body(building.Id, idNumber, NewPhone(), room: "999"),
            _ => Body(building.Id, idNumber, NewPhone(), consent: false),
        };

        var response = await landlord.PostAsJsonAsync("/api/landlord/registrations", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(" / ", errors.GetProperty(field)[0].GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Registrations.CountAsync(r => r.BuildingId == building.Id)));
    }

    [Fact]
    public async Task EnteringATenantIntoAnotherLandlordsBuildingAnswers404()
    {
        var theirs = await NewBuildingAsync(app, "t.landlord.b", "T-B-01", ("101", 2));
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var response = await landlord.PostAsJsonAsync("/api/landlord/registrations", Body(theirs.Id, NewIdNumber(), NewPhone()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Registrations.CountAsync(r => r.BuildingId == theirs.Id)));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyEntersTheTenantOnce()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var body = Body(building.Id, NewIdNumber(), NewPhone());
        HttpRequestMessage Request() => new(HttpMethod.Post, "/api/landlord/registrations")
        {
            Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", "elderly-" + building.Code } },
        };

        var first = await landlord.SendAsync(Request());
        var second = await landlord.SendAsync(Request());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Registrations.CountAsync(r => r.BuildingId == building.Id)));
    }

    [Fact]
    public async Task TheRegisterPageEntersAConfirmedRegistration()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var browser = await app.SignedInBrowserAsync("t.landlord.a");
        var form = await browser.GetStringAsync($"/landlord/register?building={building.Id}");
        var idNumber = NewIdNumber("510104");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"FormToken\" value=\"([^\"]+)\"").Groups[1].Value;

        var response = await browser.PostAsync("/landlord/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Building"] = building.Id.ToString(), ["FormToken"] = token, ["Input.Name"] = "周大爷", ["Input.IdNumber"] = idNumber,
            ["Input.Phone"] = NewPhone(), ["Input.Room"] = "101", ["Input.MoveInDate"] = Day(-1), ["Input.Reason"] = "family",
            ["Input.Consent"] = "true", ["__RequestVerificationToken"] = CookieSignIn.AntiForgeryToken(form),
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await app.WithDbAsync(db => db.Registrations.AsNoTracking().SingleAsync(r => r.BuildingId == building.Id));
        Assert.Equal(RegistrationStatus.Confirmed, stored.Status);
        Assert.Equal(RegistrationChannel.Landlord, stored.Channel);
        var home = await browser.GetStringAsync("/landlord");
        Assert.Contains("请把回执号交给租户", home);
    }
}
