using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Accounts;

public class ScopeWorldFixture : AppFactory
{
    private TestWorld? world;
    public TestWorld World => world ?? throw new InvalidOperationException("not initialised");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        world = await TestWorld.CreateAsync(this);
    }
}

// The role × endpoint × own/other-scope matrix. Out of scope is always 404 (never 403: a caller must
// not learn that a record exists); a role that never has access to an endpoint gets 403.
public sealed class ScopeMatrixTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    public static TheoryData<string, string, string, HttpStatusCode> Matrix => new()
    {
        // user,          endpoint,                       whose,   expected
        { "t.admin",      "GET /api/buildings/{b}",       "A",     HttpStatusCode.OK },
        { "t.admin",      "GET /api/buildings/{b}",       "B",     HttpStatusCode.OK },
        { "t.officer.a",  "GET /api/buildings/{b}",       "A",     HttpStatusCode.OK },
        { "t.officer.a",  "GET /api/buildings/{b}",       "B",     HttpStatusCode.NotFound },
        { "t.officer.b",  "GET /api/buildings/{b}",       "A",     HttpStatusCode.NotFound },
        { "t.officer.b",  "GET /api/buildings/{b}",       "B",     HttpStatusCode.OK },
        { "t.chief.a",    "GET /api/buildings/{b}",       "B",     HttpStatusCode.NotFound },
        { "t.landlord.a", "GET /api/buildings/{b}",       "A",     HttpStatusCode.OK },
        { "t.landlord.a", "GET /api/buildings/{b}",       "B",     HttpStatusCode.NotFound },
        { "t.landlord.b", "GET /api/buildings/{b}",       "A",     HttpStatusCode.NotFound },

        { "t.admin",      "GET /api/persons/{p}",         "A",     HttpStatusCode.OK },
        { "t.officer.a",  "GET /api/persons/{p}",         "A",     HttpStatusCode.OK },
        { "t.officer.a",  "GET /api/persons/{p}",         "B",     HttpStatusCode.NotFound },
        { "t.officer.b",  "GET /api/persons/{p}",         "A",     HttpStatusCode.NotFound },
        { "t.landlord.a", "GET /api/persons/{p}",         "A",     HttpStatusCode.Forbidden },

        { "t.officer.a",  "POST /api/persons/{p}/reveal", "A",     HttpStatusCode.OK },
        { "t.officer.a",  "POST /api/persons/{p}/reveal", "B",     HttpStatusCode.NotFound },
        { "t.officer.b",  "POST /api/persons/{p}/reveal", "A",     HttpStatusCode.NotFound },
        { "t.admin",      "POST /api/persons/{p}/reveal", "A",     HttpStatusCode.Forbidden },
        { "t.landlord.a", "POST /api/persons/{p}/reveal", "A",     HttpStatusCode.Forbidden },

        { "t.landlord.a", "GET /api/landlord/registrations", "-",  HttpStatusCode.OK },
        { "t.officer.a",  "GET /api/landlord/registrations", "-",  HttpStatusCode.Forbidden },
        { "t.admin",      "GET /api/accounts",            "-",     HttpStatusCode.OK },
        { "t.officer.a",  "GET /api/accounts",            "-",     HttpStatusCode.Forbidden },
        { "t.landlord.a", "GET /api/accounts",            "-",     HttpStatusCode.Forbidden },
        { "t.landlord.a", "POST /api/persons/search",     "-",     HttpStatusCode.Forbidden },
        { "t.admin",      "POST /api/persons/search",     "-",     HttpStatusCode.Forbidden },
        { "t.officer.a",  "POST /api/persons/search",     "-",     HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EachRoleReachesOnlyItsOwnScope(string user, string endpoint, string whose, HttpStatusCode expected)
    {
        var client = await app.SignedInClientAsync(user);
        var w = app.World;
        var path = endpoint.Split(' ')[1]
            .Replace("{b}", (whose == "A" ? w.BuildingA : w.BuildingB).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{p}", (whose == "A" ? w.PersonA : w.PersonB).ToString());
        var response = endpoint.StartsWith("POST")
            ? await client.PostAsJsonAsync(path, new { purpose = "案件核查 case check", q = "" })
            : await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/buildings/1")]
    [InlineData("/api/landlord/registrations")]
    [InlineData("/api/accounts")]
    [InlineData("/api/auth/me")]
    public async Task ApiWithoutCredentialsAnswers401NotARedirect(string path)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task LandlordListsOnlyTheirOwnTenantsWithMaskedIdNumbers()
    {
        var client = await app.SignedInClientAsync("t.landlord.a");

        var list = await client.GetFromJsonAsync<JsonElement>("/api/landlord/registrations?status=submitted");

        var rows = list.EnumerateArray().ToList();
        Assert.Single(rows);
        Assert.Equal(app.World.RegistrationA, rows[0].GetProperty("id").GetGuid());
        Assert.Equal("5201**********1236", rows[0].GetProperty("idNumber").GetString());
        Assert.Equal("138****8000", rows[0].GetProperty("phone").GetString());
        Assert.DoesNotContain(TestWorld.IdNumberA, list.GetRawText());
    }

    [Fact]
    public async Task OfficerSearchFindsOnlyPeopleOfTheirStation()
    {
        var officerA = await app.SignedInClientAsync("t.officer.a");

        async Task<JsonElement> Search(string q) =>
            await (await officerA.PostAsJsonAsync("/api/persons/search", new { q, purpose = "核查线索" })).Content.ReadFromJsonAsync<JsonElement>();
        var own = await Search(app.World.PersonAName);
        var other = await Search(app.World.PersonBName);
        var byIdNumber = await Search(TestWorld.IdNumberA.ToLowerInvariant());

        Assert.Equal(app.World.PersonA, Assert.Single(own.EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Empty(other.EnumerateArray());
        Assert.Equal(app.World.PersonA, Assert.Single(byIdNumber.EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task PersonSearchWithoutPurposeIsRefusedFieldByField()
    {
        var officerA = await app.SignedInClientAsync("t.officer.a");

        var response = await officerA.PostAsJsonAsync("/api/persons/search", new { q = "王" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("purpose", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task RevealShowsTheClearValuesAndIsAuditedWithItsPurpose()
    {
        var officerA = await app.SignedInClientAsync("t.officer.a");

        var revealed = await officerA.PostAsJsonAsync($"/api/persons/{app.World.PersonA}/reveal", new { purpose = "入户核查 home visit 2026-11" });
        var noPurpose = await officerA.PostAsJsonAsync($"/api/persons/{app.World.PersonA}/reveal", new { purpose = "" });

        var body = await revealed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TestWorld.IdNumberA, body.GetProperty("idNumber").GetString());
        Assert.Equal(app.World.PersonAPhone, body.GetProperty("phone").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noPurpose.StatusCode);
        var audited = await app.WithDbAsync(db => Task.FromResult(db.AuditEvents
            .Where(e => e.Action == "person_reveal" && e.TargetId == app.World.PersonA.ToString("D") && e.Purpose == "入户核查 home visit 2026-11")
            .Select(e => new { e.Purpose, e.ActorName, e.ActorOrganisation }).ToList()));
        var row = Assert.Single(audited);
        Assert.Equal("入户核查 home visit 2026-11", row.Purpose);
        Assert.Equal("t.officer.a", row.ActorName);
        Assert.Equal("测试甲派出所", row.ActorOrganisation);
    }
}
