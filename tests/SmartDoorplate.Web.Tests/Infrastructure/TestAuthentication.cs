using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmartDoorplate.Audit;

namespace SmartDoorplate.Web.Tests.Infrastructure;

// Signs a request in from test headers, for features that need a role but are not about signing in.
// Without X-Test-Role the request is anonymous, and a challenge answers 401. Values are
// percent-encoded, because header values are ASCII and organisations have Chinese names.
public sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string RoleHeader = "X-Test-Role";
    public const string UserIdHeader = "X-Test-User-Id";
    public const string UserNameHeader = "X-Test-User-Name";
    public const string OrganisationHeader = "X-Test-Organisation";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(RoleHeader, out var role)) return Task.FromResult(AuthenticateResult.NoResult());
        var claims = new List<Claim> { new(ClaimTypes.Role, role.ToString()) };
        if (Request.Headers.TryGetValue(UserIdHeader, out var id)) claims.Add(new(ClaimTypes.NameIdentifier, id.ToString()));
        if (Request.Headers.TryGetValue(UserNameHeader, out var name)) claims.Add(new(ClaimTypes.Name, Uri.UnescapeDataString(name.ToString())));
        if (Request.Headers.TryGetValue(OrganisationHeader, out var organisation)) claims.Add(new(AuditClaims.Organisation, Uri.UnescapeDataString(organisation.ToString())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

public static class TestAuthentication
{
    // The same app and database, with the test scheme as every default (it wins over whatever
    // schemes the app registers, because test services are configured last).
    public static WebApplicationFactory<Program> WithTestAuthentication(this WebApplicationFactory<Program> factory) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services
            .AddAuthentication(options =>
            {
                options.DefaultScheme = TestAuthHandler.SchemeName;
                options.DefaultAuthenticateScheme = TestAuthHandler.SchemeName;
                options.DefaultChallengeScheme = TestAuthHandler.SchemeName;
                options.DefaultForbidScheme = TestAuthHandler.SchemeName;
                options.DefaultSignInScheme = TestAuthHandler.SchemeName;
                options.DefaultSignOutScheme = TestAuthHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, _ => { })));

    public static HttpClient CreateClientAs(this WebApplicationFactory<Program> factory, string role, long userId = 1,
        string? userName = null, string? organisation = null)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(TestAuthHandler.RoleHeader, role);
        client.DefaultRequestHeaders.Add(TestAuthHandler.UserIdHeader, userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        client.DefaultRequestHeaders.Add(TestAuthHandler.UserNameHeader, Uri.EscapeDataString(userName ?? $"{role}.{userId}"));
        if (organisation is not null) client.DefaultRequestHeaders.Add(TestAuthHandler.OrganisationHeader, Uri.EscapeDataString(organisation));
        return client;
    }
}
