using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Hosting;

// The connection pools are capped (Data/DatabaseOptions): under a flood, requests wait for a
// connection, and one that waits longer than the connection string's Timeout fails in Npgsql ("The
// connection pool has been exhausted"; a command that times out has a TimeoutException inside). That is
// the server being busy, not a fault of the request: 503 with Retry-After, instead of a 500. The API
// answers problem details; a page (a tenant's form on a phone) gets a short page in their language:
// reload, and a form that was being sent saved nothing. Nothing was: the request never reached the database, or its
// transaction was rolled back.
public sealed class DatabaseBusy(IProblemDetailsService problems) : IExceptionHandler
{
    public static readonly Bilingual Title = new("系统繁忙，请稍后再试", "The server is busy: please try again shortly");
    // Said to every page, opened or sent: only a form that was being sent has something to lose.
    public static readonly Bilingual PageHint = new(
        "请稍候刷新页面。如果刚才提交了表单，内容尚未保存，请返回上一页再提交一次。",
        "Please reload in a moment. If you had just sent a form, nothing was saved: go back and send it again.");
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsWaitForDatabase(exception) || context.Response.HasStarted) return false;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        RetryAfter.Set(context.Response, TimeSpan.FromSeconds(RetryAfterSeconds));
        if (!context.Request.Path.StartsWithSegments("/api") && AcceptsHtml(context.Request))
        {
            var language = Languages.Of(context.Request);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(BusyPage(language), cancellationToken);
            return true;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = Title.ToString() },
        });
    }

    // Constant text only (no input), and no inline script or style, which the CSP forbids anyway.
    private static string BusyPage(Language language) =>
        "<!DOCTYPE html>\n"
        + $"<html lang=\"{(language == Language.En ? "en" : "zh-CN")}\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + $"<title>{Title.In(language)}</title></head>\n"
        + $"<body><h1>{Title.In(language)}</h1><p>{PageHint.In(language)}</p></body></html>\n";

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    // EF wraps what Npgsql throws; the chain is walked to the first NpgsqlException. Npgsql gives the
    // exhausted pool no type or code of its own, only this message.
    public static bool IsWaitForDatabase(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException npgsql and not PostgresException)
                return npgsql.InnerException is TimeoutException
                    || npgsql.Message.StartsWith("The connection pool has been exhausted", StringComparison.Ordinal);
        }
        return false;
    }
}
