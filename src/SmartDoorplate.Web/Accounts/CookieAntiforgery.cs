using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SmartDoorplate.Accounts;

public sealed record AntiforgeryTokenDto(string Token, string HeaderName);

// A browser sends the session cookie with every request to this site, whoever wrote the page that
// makes it (a form or fetch() on another site, or on a page of this one): so every state-changing
// request the cookie authenticates must also carry the anti-forgery token, which only our own pages
// can read. Pages put it in their forms (Razor does) and in <meta name="request-verification-token">
// for their scripts, which send it as the RequestVerificationToken header (js/request-token.js).
// Bearer-token clients are not concerned: another page cannot make a browser send a bearer token.
// Endpoints that turn off ASP.NET's own form check (DisableAntiforgery, for bearer clients' uploads)
// are checked here all the same when the cookie is what signs them in.
public static class CookieAntiforgery
{
    public const string HeaderName = "RequestVerificationToken";
    public const string MetaName = "request-verification-token";
    public const string RefusedTitle = "缺少或无效的防伪令牌 / Missing or invalid anti-forgery token";

    public static IServiceCollection AddCookieAntiforgery(this IServiceCollection services) =>
        services.AddAntiforgery(o => o.HeaderName = HeaderName);

    public static IEndpointRouteBuilder MapAntiforgeryToken(this IEndpointRouteBuilder app)
    {
        // For cookie clients other than our pages (which have the meta tag): the token for this session.
        app.MapGet("/api/auth/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
                TypedResults.Ok(new AntiforgeryTokenDto(antiforgery.GetAndStoreTokens(http).RequestToken!, HeaderName)))
            .WithTags("Accounts")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static IApplicationBuilder UseCookieAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method) && !HttpMethods.IsTrace(context.Request.Method)
            && SignedInByCookie(context)
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            await TypedResults.Problem(title: RefusedTitle, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static bool SignedInByCookie(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
        && context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Ticket?.AuthenticationScheme == CookieAuthenticationDefaults.AuthenticationScheme;
}
