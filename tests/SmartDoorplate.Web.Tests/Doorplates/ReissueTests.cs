using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Doorplates;

public sealed class ReissueTests(DoorplateFixture app) : IClassFixture<DoorplateFixture>
{
    private string ReissuePath => $"/api/buildings/{app.ReissueBuilding}/doorplate/reissue";

    [Fact]
    public async Task ReissuingRevokesTheOldPlateAndTheNewQrDecodesToTheNewCode()
    {
        var oldCode = await app.CurrentCodeAsync(app.ReissueBuilding);
        var officer = await app.SignedInClientAsync("t.officer.a");
        var anonymous = app.CreateClient();

        var response = await officer.PostAsJsonAsync(ReissuePath, new { reason = "门牌被盗 plate stolen" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var newCode = issued.GetProperty("code").GetString()!;
        Assert.NotEqual(oldCode, newCode);
        Assert.Equal(oldCode, issued.GetProperty("previousCode").GetString());
        Assert.Equal($"/api/doorplates/{newCode}", response.Headers.Location?.OriginalString);

        // The old plate still answers, as replaced, so a scan of it can be explained; its images are gone.
        var old = await anonymous.GetFromJsonAsync<JsonElement>($"/api/doorplates/{oldCode}");
        Assert.True(old.GetProperty("revoked").GetBoolean());
        Assert.Equal(app.ReissueBuilding, old.GetProperty("buildingId").GetInt64());
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync($"/api/doorplates/{oldCode}/qr.png")).StatusCode);

        var current = await anonymous.GetFromJsonAsync<JsonElement>($"/api/doorplates/{newCode}");
        Assert.False(current.GetProperty("revoked").GetBoolean());
        var qr = await anonymous.GetByteArrayAsync($"/api/doorplates/{newCode}/qr.png");
        Assert.Equal([$"http://localhost/d/{newCode}"], await QrDecoder.DecodeAsync(qr));
        var building = await officer.GetFromJsonAsync<JsonElement>($"/api/buildings/{app.ReissueBuilding}");
        Assert.Equal(newCode, building.GetProperty("doorplateCode").GetString());
    }

    [Fact]
    public async Task EachReissueIsAuditedWithTheOldAndNewVersion()
    {
        var admin = await app.SignedInClientAsync("t.admin");

        var response = await admin.PostAsync(ReissuePath, null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var version = issued.GetProperty("version").GetInt32();
        var plates = await app.WithDbAsync(db => db.Doorplates.Where(d => d.BuildingId == app.ReissueBuilding)
            .OrderBy(d => d.Version).Select(d => new { d.Version, d.RevokedAt }).ToListAsync());
        Assert.Equal(Enumerable.Range(1, version), plates.Select(p => p.Version));
        Assert.All(plates.SkipLast(1), p => Assert.NotNull(p.RevokedAt));
        Assert.Null(plates[^1].RevokedAt);
        var audit = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "doorplate_reissued"
            && e.TargetId == app.ReissueBuilding.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .OrderByDescending(e => e.Id).FirstAsync());
        Assert.Equal("t.admin", audit.ActorName);
        using var details = JsonDocument.Parse(audit.Details!);
        Assert.Equal(version, details.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(version - 1, details.RootElement.GetProperty("previousVersion").GetInt32());
        Assert.Equal(issued.GetProperty("code").GetString(), details.RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("t.officer.b", HttpStatusCode.NotFound)]   // police of another station: the building does not exist for them
    [InlineData("t.landlord.a", HttpStatusCode.Forbidden)] // the owner cannot replace the plate
    public async Task OnlyAdminsAndPoliceOfTheScopeMayReissue(string user, HttpStatusCode expected)
    {
        var before = await app.CurrentCodeAsync(app.ReissueBuilding);
        var client = await app.SignedInClientAsync(user);

        var response = await client.PostAsync(ReissuePath, null);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await app.CurrentCodeAsync(app.ReissueBuilding));
    }

    [Fact]
    public async Task ReissuingWithoutCredentialsAnswers401()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.PostAsync(ReissuePath, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TwoReissuesAtOnceLeaveExactlyOneCurrentPlate()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        var admin = await app.SignedInClientAsync("t.admin");

        var responses = await Task.WhenAll(officer.PostAsync(ReissuePath, null), admin.PostAsync(ReissuePath, null));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var current = await app.WithDbAsync(db => db.Doorplates.CountAsync(d => d.BuildingId == app.ReissueBuilding && d.RevokedAt == null));
        Assert.Equal(1, current);
    }
}
