using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Hosting;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Hosting;

// Input the app cannot use is the client's fault in every environment: 400 problem details that name
// the field in Chinese and English, and nothing changes. Run in Development, where minimal APIs throw
// on what they cannot bind.
public sealed partial class BadInputTests(DevelopmentWorldFixture app) : IClassFixture<DevelopmentWorldFixture>
{
    [Theory]
    [InlineData("{", "body")]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("{\"q\": 5, \"purpose\": \"核查线索\"}", "q")]
    [InlineData("{\"q\": {\"a\": 1}, \"purpose\": \"核查线索\"}", "q")]
    public async Task AMalformedEmptyNullOrMistypedJsonBodyIsA400NamingTheField(string body, string field)
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        var response = await officer.PostAsync("/api/persons/search", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertRefusedAsync(response, field);
    }

    [Fact]
    public async Task ABodyOfInvalidUtf8IsA400()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        var bytes = new byte[] { (byte)'{', (byte)'"', (byte)'q', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}' };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        await AssertRefusedAsync(await officer.PostAsync("/api/persons/search", content), null);
    }

    [Theory]
    [InlineData("/api/audit?page=abc", "page")]
    [InlineData("/api/audit?from=yesterday", "from")]
    [InlineData("/api/hotspots?cellSize=wide", "cellSize")]
    [InlineData("/api/cases?limit=99999999999", "limit")]
    public async Task AnUnparsableQueryValueIsA400NamingIt(string url, string field)
    {
        var chief = await app.SignedInClientAsync("t.chief.a");
        await AssertRefusedAsync(await chief.GetAsync(url), field);
    }

    [Theory]
    [InlineData("/api/persons/search", "{\"q\": \"王\\u0000明\", \"purpose\": \"核查线索\"}", "q")]
    [InlineData("/api/persons/search", "{\"q\": \"王小明\", \"purpose\": \"核查\\u0000线索\"}", "purpose")]
    [InlineData("/api/persons/search", "{\"q\": \"王小明\", \"purpose\": \"核查\\u0007线索\"}", "purpose")]
    [InlineData("/api/persons/search", "{\"q\": \"王\\ud800明\", \"purpose\": \"核查线索\"}", null)]
    public async Task AControlCharacterOrBrokenTextInAJsonStringIsA400NamingTheField(string url, string body, string? field)
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        await AssertRefusedAsync(await officer.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json")), field);
    }

    [Fact]
    public async Task ANulInASignInNameIsA400AndNoAccountIsTouched()
    {
        var before = await app.OwnerScalarAsync<long>("select count(*) from audit_events");
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = "t.officer.a\0", password = "wrong" });
        await AssertRefusedAsync(response, "username");
        Assert.Equal(before, await app.OwnerScalarAsync<long>("select count(*) from audit_events"));
    }

    [Theory]
    [InlineData("/api/hotspots?grid=T-A-01%00", "grid")]
    [InlineData("/api/hotspots?station=T-A%00", "station")]
    [InlineData("/api/statistics?station=T-A%00", "station")]
    [InlineData("/api/map/search?q=%E7%8E%8B%00", "q")]
    [InlineData("/api/audit?actor=t.officer%00", "actor")]
    [InlineData("/api/audit?targetId=%01", "targetId")]
    [InlineData("/api/doorplates/AB%01CD", "code")]
    public async Task AControlCharacterInAQueryOrRouteValueIsA400NamingIt(string url, string field)
    {
        var chief = await app.SignedInClientAsync("t.chief.a");
        await AssertRefusedAsync(await chief.GetAsync(url), field);
    }

    [Theory]
    [InlineData("/api/cases?from=0001-01-01", "from")]
    [InlineData("/api/cases?to=9999-12-31", "to")]
    [InlineData("/api/hotspots?from=0001-01-01", "from")]
    [InlineData("/api/hotspots/change?split=9999-12-31", "split")]
    [InlineData("/api/audit?from=0001-01-01", "from")]
    [InlineData("/api/audit?to=9999-12-31", "to")]
    [InlineData("/police/report.pdf?plate=9999-12-31", "plate")]
    [InlineData("/police/report.png?plate=0001-01-01", "plate")]
    [InlineData("/api/map/tiles/cases/14/13340/6998.mvt?from=0001-01-01", "from")]
    [InlineData("/api/map/tiles/cases/14/13340/6998.mvt?to=9999-12-31T23:59:59Z", "to")]
    public async Task ADateAtAnEndOfTheCalendarIsA400NamingIt(string url, string field)
    {
        var chief = await app.SignedInClientAsync("t.chief.a");
        await AssertRefusedAsync(await chief.GetAsync(url), field);
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task AnAuditPageOutOfRangeIsA400NamingIt(string page)
    {
        var chief = await app.SignedInClientAsync("t.chief.a");
        await AssertRefusedAsync(await chief.GetAsync("/api/audit?page=" + page), "page");
    }

    [Fact]
    public async Task TextWithTabsAndLineBreaksIsStillAcceptedInABody()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        var response = await officer.PostAsJsonAsync("/api/persons/search", new { q = "王小明", purpose = "核查线索\r\n\t第二行" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The form reader refuses a NUL itself, before the guard can name the field.
    [Theory]
    [InlineData("t.officer.a\0", "表单含有不允许的字符")]
    [InlineData("t.officer.a\u0007", "Username 含有不允许的控制字符")]
    public async Task AControlCharacterInTheSignInPagesUserNameShowsAPageSayingSoNotAServerError(string userName, string message)
    {
        var client = app.CreateClient();
        var form = await client.GetStringAsync("/login");
        var token = TokenPattern().Match(form).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Username"] = userName, ["Password"] = TestWorld.Password,
            }),
        };
        request.Headers.Accept.ParseAdd("text/html");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, html);
        Assert.DoesNotContain("sd.session", string.Join(";", response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []));
    }

    // Whoever refuses (a handler's own rules, the input guard, the binder), the answer has one shape.
    [Fact]
    public async Task EveryValidationProblemHasTheSameShape()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        var fromHandler = await officer.PostAsJsonAsync("/api/persons/search", new { q = "王", purpose = "核查线索" });
        var fromGuard = await officer.PostAsJsonAsync("/api/persons/search", new { q = "王\0明", purpose = "核查线索" });
        var fromBinder = await officer.PostAsync("/api/persons/search", new StringContent("{\"q\": []}", Encoding.UTF8, "application/json"));
        var chief = await app.SignedInClientAsync("t.chief.a");
        var fromAudit = await chief.GetAsync("/api/audit?from=2026-02-01&to=2026-01-01");
        var shapes = new List<string>();
        foreach (var (response, field) in new[] { (fromHandler, "q"), (fromGuard, "q"), (fromBinder, "q"), (fromAudit, "from") })
        {
            var problem = await AssertRefusedAsync(response, field);
            shapes.Add(string.Join(",", problem.EnumerateObject().Select(p => p.Name + ":" + p.Value.ValueKind).Order(StringComparer.Ordinal)));
        }
        Assert.Single(shapes.Distinct());
        Assert.Contains("type:String", shapes[0]);
    }

    // The last line of defence, for a value that slips past the guard: PostgreSQL's data exceptions
    // (class 22) are the input's fault and roll back; other database errors stay the server's.
    [Theory]
    [InlineData("22021", true)]
    [InlineData("22008", true)]
    [InlineData("23505", false)]
    [InlineData("42P01", false)]
    public async Task APostgresDataExceptionIsA400AndOtherDatabaseErrorsAreNotTakenForBadInput(string sqlState, bool isBadInput)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IExceptionHandler>().OfType<BadRequests>().Single();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = new MemoryStream();
        var failure = new DbUpdateException("saving failed", new PostgresException("refused", "ERROR", "ERROR", sqlState));

        Assert.Equal(isBadInput, await handler.TryHandleAsync(context, failure, CancellationToken.None));
        if (isBadInput) Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
    }

    // 400 problem details whose title and messages are in Chinese and English, naming the field.
    private static async Task<JsonElement> AssertRefusedAsync(HttpResponseMessage response, string? field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Matches(Bilingual(), problem.GetProperty("title").GetString()!);
        var errors = problem.GetProperty("errors").EnumerateObject().ToList();
        Assert.NotEmpty(errors);
        if (field is not null) Assert.Contains(errors, e => e.Name == field);
        foreach (var message in errors.SelectMany(e => e.Value.EnumerateArray())) Assert.Matches(Bilingual(), message.GetString()!);
        return problem;
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}.* / .*[A-Za-z]")]
    private static partial Regex Bilingual();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
