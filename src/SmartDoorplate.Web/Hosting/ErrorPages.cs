using Microsoft.AspNetCore.Diagnostics;

namespace SmartDoorplate.Hosting;

// Errors on page routes answer as a page in the reader's language (Hosting/ErrorPage.cshtml): a
// tenant's phone must never show raw JSON. The API, health and OpenAPI routes keep RFC 9457
// problem details, written by the exception handler and status-code pages in Program.cs.
public static class ErrorPages
{
    public const string PathFormat = "/error/{0}";

    public static bool IsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/health") && !request.Path.StartsWithSegments("/openapi");

    // A re-executed error page is not a new request: the limiter that refused the original must not
    // refuse the page that says so.
    public static bool IsReExecution(HttpContext context) =>
        context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerPathFeature>() is not null;

    public static IApplicationBuilder UseErrorPages(this IApplicationBuilder app) =>
        app.UseWhen(context => IsPage(context.Request), pages =>
        {
            pages.UseExceptionHandler(string.Format(System.Globalization.CultureInfo.InvariantCulture, PathFormat, 500));
            pages.UseStatusCodePagesWithReExecute(PathFormat);
        });
}
