using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Hosting;

// The connection pools are capped (Data/DatabaseOptions): under a flood, requests wait for a
// connection, and one that waits longer than the connection string's Timeout fails in Npgsql ("The
// connection pool has been exhausted"; a command that times out has a TimeoutException inside). That is the server being busy, not a fault of the request: 503 with
// Retry-After, so that clients and the tenant's page try again, instead of a 500. Nothing was written:
// the request never reached the database, or its transaction was rolled back.
public sealed class DatabaseBusy(IProblemDetailsService problems) : IExceptionHandler
{
    public static readonly Bilingual Title = new("系统繁忙，请稍后再试", "The server is busy: please try again shortly");
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsWaitForDatabase(exception) || context.Response.HasStarted) return false;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = Title.ToString() },
        });
    }

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
