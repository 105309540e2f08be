using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using SmartDoorplate.Data;

namespace SmartDoorplate.Accounts;

public sealed class SignInOptions
{
    public const string Section = "SignIn";
    // Per typed user name and client address (SignInThrottle): a few free tries, then waits that
    // double, then a block. No count locks an account for every address.
    public int FailuresBeforeDelay { get; set; } = 3;
    public int FailuresBeforeBlock { get; set; } = 10;
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan BlockDuration { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan ForgetFailuresAfter { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

public static class AuthServices
{
    public const string Scheme = "smart";

    // One sign-in's id, shared by its cookie and token, so that signing out ends both (EndedSession).
    public const string SessionIdClaim = "sd:session";

    public static string NewSessionId() => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static IServiceCollection AddSmartDoorplateAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<PasswordSignIn>();

        // Several instances may serve the same database: they must read each other's
        // cookies and tokens, so the key ring lives in a shared folder when one is configured.
        var dataProtection = services.AddDataProtection().SetApplicationName("SmartDoorplate");
        if (configuration["DataProtection:KeyPath"] is { Length: > 0 } keyPath)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keyPath));
        }

        var lifetime = configuration.GetSection(SignInOptions.Section).Get<SignInOptions>()?.SessionLifetime ?? TimeSpan.FromHours(8);
        services.AddAuthentication(Scheme)
            // API clients send a bearer token; pages use the session cookie. One scheme picks per request.
            .AddPolicyScheme(Scheme, Scheme, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddBearerToken(o => o.BearerTokenExpiration = lifetime)
            .AddCookie(o =>
            {
                o.Cookie.Name = "sd.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = lifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/account/denied";
                // An API answers 401/403 problem details; only pages redirect to the sign-in page.
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            });
        // After the schemes' own set-up has made their ticket formats. One cache per scheme, so that a
        // token's text is never accepted as a cookie or a cookie's as a token.
        services.PostConfigure<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme, o =>
            o.BearerTokenProtector = new CachedTicketFormat(o.BearerTokenProtector, CachedTicketFormat.CreateCache(), o.TimeProvider ?? TimeProvider.System));
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            o.TicketDataFormat = new CachedTicketFormat(o.TicketDataFormat, CachedTicketFormat.CreateCache(), o.TimeProvider ?? TimeProvider.System));

        // Sessions follow their accounts: disabled or moved, they end (AccountAccess, UseAccountAccessCheck).
        services.AddDatabaseNoticeFollower<AccountAccess>();

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Police, p => p.RequireRole(Roles.Police))
            .AddPolicy(Policies.PoliceOrAdmin, p => p.RequireRole([.. Roles.Police, Roles.Admin]))
            .AddPolicy(Policies.Landlord, p => p.RequireRole(Roles.Landlord))
            .AddPolicy(Policies.LandlordOrPolice, p => p.RequireRole([Roles.Landlord, .. Roles.Police]))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.AuditReader, p => p.RequireRole(Roles.StationChief, Roles.Admin))
            .AddPolicy(Policies.WatchListManager, p => p.RequireRole(Roles.StationChief, Roles.DistrictOfficer, Roles.Admin));
        return services;
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static ClaimsPrincipal PrincipalFor(User user, string? organisation, string sessionId)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(SessionIdClaim, sessionId),
            new(ClaimTypes.Name, user.UserName),
            new(ClaimTypes.Role, Data.SnakeCaseEnum.ToCode(user.Role)),
        };
        if (user.StationId is { } stationId) claims.Add(new(ScopeClaims.StationId, stationId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (user.DistrictId is { } districtId) claims.Add(new(ScopeClaims.DistrictId, districtId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (organisation is not null) claims.Add(new(Audit.AuditClaims.Organisation, organisation));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
