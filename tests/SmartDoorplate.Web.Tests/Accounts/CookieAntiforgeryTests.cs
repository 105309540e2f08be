using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Accounts;

// Another page (another site, or any page the officer's browser opens) can make the browser post to
// us with its session cookie; only the anti-forgery token, which such a page cannot read, tells our
// own pages' requests apart. Every state-changing endpoint the app maps is tried.
public sealed class CookieAntiforgeryTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    private static readonly HashSet<string> StateChanging = ["POST", "PUT", "PATCH", "DELETE"];

    // Every route the app maps with a state-changing method, and every page (pages take POSTs),
    // with its parameters filled by values that name nothing, so that a request that does get
    // through changes nothing of the test world's.
    private List<(string Method, string Url)> StateChangingRequests()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var requests = new List<(string, string)>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            var isPage = endpoint.Metadata.Any(m => m.GetType().Name.Contains("PageActionDescriptor", StringComparison.Ordinal));
            var url = Url(endpoint.RoutePattern);
            if (isPage) requests.Add(("POST", url));
            else if (methods is not null) requests.AddRange(methods.Where(StateChanging.Contains).Select(m => (m, url)));
        }
        // Signing out last: it ends the session the other requests use.
        return [.. requests.Distinct().OrderBy(r => r.Item2.Contains("logout", StringComparison.Ordinal))];
    }

    private static string Url(RoutePattern pattern)
    {
        var url = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            url.Append('/');
            foreach (var part in segment.Parts)
            {
                url.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content == "guid") => Guid.NewGuid().ToString("D"),
                    RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content is "long" or "int") => "987654321",
                    RoutePatternParameterPart => "NOTHING1234",
                    _ => "",
                });
            }
        }
        return url.Length == 0 ? "/" : url.ToString();
    }

    // Row counts and the newest row version of every table but the audit log's (its sealer links
    // rows in the background); a request that changed anything shows here.
    private async Task<string> FingerprintAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("select tablename from pg_tables where schemaname = 'public' and tablename not like 'audit%' order by 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var print = new StringBuilder();
        foreach (var table in tables)
        {
            await using var command = new Npgsql.NpgsqlCommand($"select count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text from \"{table}\"", connection);
            print.Append(table).Append('=').Append(await command.ExecuteScalarAsync()).Append(';');
        }
        await using (var audit = new Npgsql.NpgsqlCommand("select count(*) from audit_events", connection))
            print.Append("audit_events=").Append(await audit.ExecuteScalarAsync());
        return print.ToString();
    }

    [Fact]
    public async Task EveryStateChangingRequestSignedInByTheCookieWithoutTheTokenIsRefusedWith400AndChangesNothing()
    {
        var requests = StateChangingRequests();
        Assert.Contains(requests, r => r == ("POST", "/api/cases/import"));
        Assert.Contains(requests, r => r == ("POST", "/login"));
        Assert.True(requests.Count > 30, $"only {requests.Count} state-changing requests found");
        var session = await CookieSession.SignInAsync(app, "t.chief.a");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        await Task.Delay(1500); // the sign-in's audit rows sealed before the fingerprint
        var before = await FingerprintAsync();

        var notRefused = new List<string>();
        foreach (var (method, url) in requests)
        {
            using var request = session.Request(new HttpMethod(method), url, withToken: false, JsonContent.Create(new { }));
            request.Headers.Add("Origin", "https://elsewhere.example");
            var response = await client.SendAsync(request);
            var title = response.StatusCode == HttpStatusCode.BadRequest
                ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()
                : null;
            if (title != CookieAntiforgery.RefusedTitle) notRefused.Add($"{method} {url}: {(int)response.StatusCode} {title}");
        }

        Assert.Empty(notRefused);
        Assert.Equal(before, await FingerprintAsync());
        // The session itself still stands: nothing was refused for want of a session.
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        me.Headers.Add("Cookie", session.SessionCookie);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(me)).StatusCode);
    }

    [Fact]
    public async Task TheSameRequestsWithTheTokenOrABearerTokenAreNotRefusedForForgery()
    {
        var requests = StateChangingRequests();
        var session = await CookieSession.SignInAsync(app, "t.chief.a");
        var bearer = await app.SignedInClientAsync("t.chief.a");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

        var refused = new List<string>();
        foreach (var (method, url) in requests)
        {
            using var withBearer = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) };
            withBearer.Headers.Add("Origin", "https://elsewhere.example");
            if (await IsRefusedForForgeryAsync(await bearer.SendAsync(withBearer))) refused.Add($"bearer {method} {url}");
            using var withToken = session.Request(new HttpMethod(method), url, withToken: true, JsonContent.Create(new { }));
            if (await IsRefusedForForgeryAsync(await client.SendAsync(withToken))) refused.Add($"cookie+token {method} {url}");
        }

        Assert.Empty(refused);
    }

    [Fact]
    public async Task CaseImportWithTheSessionCookieAloneIsRefusedAndWithTheTokenIsHeard()
    {
        var session = await CookieSession.SignInAsync(app, "t.officer.a");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        MultipartFormDataContent Csv() => new() { { new StringContent("case_number,type,occurred_at,lon,lat\n"), "file", "cases.csv" } };

        var forged = await client.SendAsync(session.Request(HttpMethod.Post, "/api/cases/import", withToken: false, Csv()));
        var own = await client.SendAsync(session.Request(HttpMethod.Post, "/api/cases/import", withToken: true, Csv()));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.True(await IsRefusedForForgeryAsync(forged));
        Assert.False(await IsRefusedForForgeryAsync(own));
    }

    private static async Task<bool> IsRefusedForForgeryAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.BadRequest) return false;
        var body = await response.Content.ReadAsStringAsync();
        return body.Contains(CookieAntiforgery.RefusedTitle, StringComparison.Ordinal);
    }
}
