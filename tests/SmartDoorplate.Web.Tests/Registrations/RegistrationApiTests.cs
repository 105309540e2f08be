using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Registrations;

public sealed class RegistrationApiTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    // Made-up but valid GB 11643 numbers, one per test so that tests own their people.
    private static string IdNumber(string first17) => first17 + SmartDoorplate.Analytics.Identity.ResidentIdNumber.ComputeCheckDigit(first17);

    private object Body(string idNumber, string? plate = null, string name = "张三", string phone = "139 1234 5678",
        string? moveIn = null, bool consent = true, string room = "101") => new
    {
        doorplateCode = plate ?? app.World.PlateA, room, name, idNumber, phone, moveInDate = moveIn ?? Day(-1), reason = "work", employer = "改茶农贸市场", consent,
    };

    private static string Day(int offset) => DateOnly.FromDateTime(DateTime.Today.AddDays(offset)).ToString("yyyy-MM-dd");

    private Task<(int Registrations, int Persons, int Audit)> CountsAsync() => app.WithDbAsync(async db =>
        (await db.Registrations.CountAsync(), await db.Persons.CountAsync(), await db.AuditEvents.CountAsync()));

    [Fact]
    public async Task AValidSubmissionAnswers201WithAReceiptAndStoresNoClearValues()
    {
        var id = IdNumber("52262419950815123");

        var response = await app.CreateClient().PostAsJsonAsync("/api/registrations", Body(id));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("submitted", body.GetProperty("status").GetString());
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", body.GetProperty("receipt").GetString());
        var stored = await app.WithDbAsync(db => db.Database
            .SqlQueryRaw<string>("select row_to_json(p)::text as \"Value\" from persons p").ToListAsync());
        Assert.DoesNotContain(stored, row => row.Contains(id) || row.Contains("13912345678"));
        var registration = await app.WithDbAsync(db => db.Registrations.Include(r => r.Room).SingleAsync(r => r.Id == body.GetProperty("id").GetGuid()));
        Assert.Equal("101", registration.Room!.Number);
        Assert.False(registration.Late);
    }

    public static TheoryData<string, string, object> BadInputs => new()
    {
        { "wrong check digit", "idNumber", new { idNumber = "520102199003071235" } },
        { "impossible birth date", "idNumber", new { idNumber = "52010219990230123X" } },
        { "birth date in the future", "idNumber", new { idNumber = "520102209901011234" } },
        { "bad phone", "phone", new { phone = "12345678901" } },
        { "missing consent", "consent", new { consent = false } },
        { "script in the name", "name", new { name = "<script>alert(1)</script>" } },
        { "a 1 MB name", "name", new { name = new string('张', 1_000_000) } },
        { "move-in too far ahead", "moveInDate", new { moveInDate = "2099-01-01" } },
        { "move-in before 1950", "moveInDate", new { moveInDate = "1949-12-31" } },
        { "unknown room", "room", new { room = "999" } },
        { "unknown reason", "reason", new { reason = "tourism" } },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInputIsRefusedFieldByFieldAndWritesNothing(string because, string field, object overrides)
    {
        var body = JsonSerializer.SerializeToNode(Body(IdNumber("52262419800101234")))!.AsObject();
        foreach (var (key, value) in JsonSerializer.SerializeToNode(overrides)!.AsObject()) body[key] = value?.DeepClone();
        var before = await CountsAsync();

        var response = await app.CreateClient().PostAsJsonAsync("/api/registrations", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var message = errors.GetProperty(field)[0].GetString()!;
        Assert.Contains(" / ", message); // Chinese and English
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task AnUnknownOrRevokedPlateAnswers404AndWritesNothing()
    {
        var before = await CountsAsync();

        var unknown = await app.CreateClient().PostAsJsonAsync("/api/registrations", Body(IdNumber("52262419800101235"), plate: "0000000000000000"));
        var revoked = await app.CreateClient().PostAsJsonAsync("/api/registrations", Body(IdNumber("52262419800101235"), plate: app.World.RevokedPlateA));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
        Assert.Equal("application/problem+json", revoked.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountsAsync());
    }

    // The per-plate flood limit, set just above what PlateA already has this hour: the next new
    // submission fills it. Past it, a new person is refused (429, nothing written), a mistyped form
    // still hears about its field, and a retry of the accepted submission still gets its receipt.
    [Fact]
    public async Task PastAPlatesHourlyLimitNewSubmissionsAre429ButFieldErrorsAndRetriesAnswerAsBefore()
    {
        var lastHour = DateTimeOffset.UtcNow.AddHours(-1);
        var recent = await app.WithDbAsync(db => db.Registrations.IgnoreQueryFilters().CountAsync(r => r.BuildingId == app.World.BuildingA
            && r.SubmittedAt > lastHour && r.Channel != SmartDoorplate.Registrations.RegistrationChannel.Import
            && r.Channel != SmartDoorplate.Registrations.RegistrationChannel.Landlord));
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("Registrations:MaxSubmissionsPerPlatePerHour", (recent + 1).ToString()));
        var client = limited.CreateClient();
        var accepted = Body(IdNumber("52262419800101241"));
        HttpRequestMessage Keyed() => new(HttpMethod.Post, "/api/registrations")
        {
            Content = JsonContent.Create(accepted), Headers = { { "Idempotency-Key", "flood-" + app.World.PlateA } },
        };

        var first = await client.SendAsync(Keyed());
        var before = await CountsAsync();
        var refused = await client.PostAsJsonAsync("/api/registrations", Body(IdNumber("52262419800101242")));
        var mistyped = await client.PostAsJsonAsync("/api/registrations", Body(IdNumber("52262419800101243"), phone: "12345"));
        var retried = await client.SendAsync(Keyed());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, mistyped.StatusCode);
        Assert.True((await mistyped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(),
            (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task TheSameIdempotencyKeySentTwiceYieldsOneRegistration()
    {
        var client = app.CreateClient();
        var body = Body(IdNumber("52262419800101236"));
        HttpRequestMessage Request() => new(HttpMethod.Post, "/api/registrations")
        {
            Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", "twice-" + app.World.PlateA } },
        };

        var first = await client.SendAsync(Request());
        var second = await client.SendAsync(Request());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var secondId = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(firstId, secondId);
    }

    [Fact]
    public async Task TwentyConcurrentRetriesWithOneKeyYieldOneRegistration()
    {
        var idNumber = IdNumber("52262419800101237");
        var body = Body(idNumber);
        var key = "concurrent-" + Guid.NewGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.CreateClient().SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/api/registrations") { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", key } } })));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await app.WithDbAsync(db => db.Registrations.CountAsync(r => r.IdempotencyKey == "api:" + key)));
    }

    [Fact]
    public async Task AKeyReusedForADifferentPersonIsRefused()
    {
        var key = "reused-" + Guid.NewGuid();
        HttpRequestMessage Request(string id) => new(HttpMethod.Post, "/api/registrations")
        {
            Content = JsonContent.Create(Body(id)), Headers = { { "Idempotency-Key", key } },
        };

        var first = await app.CreateClient().SendAsync(Request(IdNumber("52262419800101238")));
        var other = await app.CreateClient().SendAsync(Request(IdNumber("52262419800101239")));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
    }

    [Fact]
    public async Task RegisteringMoreThanThreeDaysAfterMovingInIsMarkedLate()
    {
        var moveIn = Day(-10);

        var response = await app.CreateClient().PostAsJsonAsync("/api/registrations", Body(IdNumber("52262419800101240"), moveIn: moveIn));

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True(await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == id).Select(r => r.Late).SingleAsync()));
    }

    [Fact]
    public async Task ALowerCaseXIsAcceptedAsTheCheckCharacter()
    {
        var withX = Enumerable.Range(100, 200).Select(n => IdNumber($"52262419800101{n:000}")).First(i => i.EndsWith('X'));

        var response = await app.CreateClient().PostAsJsonAsync("/api/registrations", Body(withX.ToLowerInvariant()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task TheTenantSeesTheirStatusWithReceiptAndPhoneAndCanMoveOut()
    {
        var client = app.CreateClient();
        var created = await client.PostAsJsonAsync("/api/registrations", Body(IdNumber("52262419800101241"), moveIn: Day(-20)));
        var receipt = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetString();

        var status = await client.GetAsync($"/api/registrations/receipt/{receipt}?phone=%2B86%20139-1234-5678");
        var wrongPhone = await client.GetAsync($"/api/registrations/receipt/{receipt}?phone=13900000000");
        var movedOut = await client.PostAsJsonAsync($"/api/registrations/receipt/{receipt!.ToLowerInvariant()}/move-out", new { phone = "13912345678", date = Day(-2) });

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("submitted", (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, wrongPhone.StatusCode);
        Assert.Equal(HttpStatusCode.OK, movedOut.StatusCode);
        var after = await movedOut.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ended", after.GetProperty("status").GetString());
        Assert.Equal(Day(-2), after.GetProperty("moveOutDate").GetString());
    }
}
