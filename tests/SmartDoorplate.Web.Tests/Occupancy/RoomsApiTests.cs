using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using static SmartDoorplate.Web.Tests.Occupancy.OccupancyData;

namespace SmartDoorplate.Web.Tests.Occupancy;

public sealed class RoomsApiTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task AnAddedRoomIsListedWithItsBedsAndVersion()
    {
        var building = await NewBuildingAsync(app);
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var added = await landlord.PostAsJsonAsync($"/api/landlord/buildings/{building.Id}/rooms", new { floor = 2, number = "201", areaM2 = 18.5, beds = 2 });
        var list = await landlord.GetFromJsonAsync<JsonElement>($"/api/landlord/buildings/{building.Id}/rooms");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var room = list.EnumerateArray().Single(r => r.GetProperty("number").GetString() == "201");
        Assert.Equal(2, room.GetProperty("floor").GetInt32());
        Assert.Equal(18.5m, room.GetProperty("areaM2").GetDecimal());
        Assert.Equal(2, room.GetProperty("beds").GetInt32());
        Assert.Equal(2, room.GetProperty("vacancies").GetInt32());
        Assert.Equal($"\"{room.GetProperty("version").GetUInt32()}\"", added.Headers.ETag?.Tag);
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "room_added"
            && e.TargetId == room.GetProperty("id").GetInt64().ToString())));
    }

    public static TheoryData<string, string, object> BadRooms => new()
    {
        { "floor above the building", "floor", new { floor = 9 } },
        { "floor not a number", "floor", new { floor = "二楼" } },
        { "no room number", "number", new { number = "" } },
        { "markup in the number", "number", new { number = "<b>1</b>" } },
        { "a taken number", "number", new { number = "101" } },
        { "negative area", "areaM2", new { areaM2 = -3 } },
        { "area with two decimals", "areaM2", new { areaM2 = 12.25 } },
        { "negative beds", "beds", new { beds = -1 } },
        { "beds as an object", "beds", new { beds = new { many = true } } },
        { "too many beds", "beds", new { beds = 101 } },
    };

    [Theory]
    [MemberData(nameof(BadRooms))]
    public async Task BadRoomInputIsRefusedFieldByFieldInChineseAndEnglish(string because, string field, object overrides)
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 1));
        var body = JsonSerializer.SerializeToNode(new { floor = 1, number = "102", areaM2 = 12, beds = 1 })!.AsObject();
        foreach (var (key, value) in JsonSerializer.SerializeToNode(overrides)!.AsObject()) body[key] = value?.DeepClone();
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var response = await landlord.PostAsJsonAsync($"/api/landlord/buildings/{building.Id}/rooms", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = (await JsonAsync(response)).GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.Contains(" / ", message);
        Assert.Equal(1, await app.WithDbAsync(db => db.Rooms.CountAsync(r => r.BuildingId == building.Id)));
    }

    [Fact]
    public async Task ASecondSaveWithAStaleVersionAnswers409AndKeepsTheFirstSave()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var roomId = building.Rooms["101"];
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var version = (await landlord.GetFromJsonAsync<JsonElement>($"/api/landlord/buildings/{building.Id}/rooms"))[0].GetProperty("version").GetUInt32();

        var first = await landlord.PutAsJsonAsync($"/api/landlord/rooms/{roomId}", new { floor = 1, number = "101", areaM2 = 20, beds = 3, version });
        var second = await landlord.PutAsJsonAsync($"/api/landlord/rooms/{roomId}", new { floor = 1, number = "101", areaM2 = 20, beds = 1, version });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Someone else changed this record", (await JsonAsync(second)).GetProperty("title").GetString());
        Assert.Equal(3, await app.WithDbAsync(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.Beds).SingleAsync()));
    }

    [Fact]
    public async Task IfMatchCarriesTheVersionAndASaveWithoutAnyVersionIsRefused()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        var roomId = building.Rooms["101"];
        var landlord = await app.SignedInClientAsync("t.landlord.a");
        var listed = await landlord.GetFromJsonAsync<JsonElement>($"/api/landlord/buildings/{building.Id}/rooms");

        var withoutVersion = await landlord.PutAsJsonAsync($"/api/landlord/rooms/{roomId}", new { floor = 1, number = "101", beds = 4 });
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/landlord/rooms/{roomId}") { Content = JsonContent.Create(new { floor = 1, number = "101A", beds = 4 }) };
        request.Headers.IfMatch.Add(new($"\"{listed[0].GetProperty("version").GetUInt32()}\""));
        var withIfMatch = await landlord.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutVersion.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withIfMatch.StatusCode);
        Assert.Equal("101A", (await JsonAsync(withIfMatch)).GetProperty("number").GetString());
    }

    [Fact]
    public async Task ARetiredRoomKeepsItsRowAndLeavesTheTenantsRoomList()
    {
        var building = await NewBuildingAsync(app, rooms: [("101", 2), ("102", 2)]);
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var retired = await landlord.PostAsync($"/api/landlord/rooms/{building.Rooms["102"]}/retire", null);
        var again = await landlord.PostAsync($"/api/landlord/rooms/{building.Rooms["102"]}/retire", null);
        var edit = await landlord.PutAsJsonAsync($"/api/landlord/rooms/{building.Rooms["102"]}",
            new { floor = 1, number = "102", beds = 2, version = (await JsonAsync(retired)).GetProperty("version").GetUInt32() });
        var scanForm = await app.CreateClient().GetStringAsync($"/d/{building.PlateCode}/register");
        var listed = await landlord.GetFromJsonAsync<JsonElement>($"/api/landlord/buildings/{building.Id}/rooms?includeRetired=true");

        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Contains("value=\"101\"", scanForm);
        Assert.DoesNotContain("value=\"102\"", scanForm);
        Assert.Equal(2, listed.GetArrayLength());
        Assert.True(await app.WithDbAsync(db => db.Rooms.AnyAsync(r => r.Id == building.Rooms["102"] && r.RetiredAt != null)));
    }

    [Fact]
    public async Task ARoomWithTenantsCannotBeRetired()
    {
        var building = await NewBuildingAsync(app, rooms: ("101", 2));
        await NewRegistrationAsync(app, building.Id, building.Rooms["101"], RegistrationStatus.Confirmed);
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var response = await landlord.PostAsync($"/api/landlord/rooms/{building.Rooms["101"]}/retire", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("record their move-out first", (await JsonAsync(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task AnotherLandlordsBuildingAndRoomsAreNotFound()
    {
        var theirs = await NewBuildingAsync(app, "t.landlord.b", "T-B-01", ("101", 2));
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var list = await landlord.GetAsync($"/api/landlord/buildings/{theirs.Id}/rooms");
        var add = await landlord.PostAsJsonAsync($"/api/landlord/buildings/{theirs.Id}/rooms", new { floor = 1, number = "109", beds = 1 });
        var edit = await landlord.PutAsJsonAsync($"/api/landlord/rooms/{theirs.Rooms["101"]}", new { floor = 1, number = "101", beds = 9, version = 1 });
        var retire = await landlord.PostAsync($"/api/landlord/rooms/{theirs.Rooms["101"]}/retire", null);

        Assert.All([list, add, edit, retire], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(2, await app.WithDbAsync(db => db.Rooms.Where(r => r.Id == theirs.Rooms["101"]).Select(r => r.Beds).SingleAsync()));
    }
}
