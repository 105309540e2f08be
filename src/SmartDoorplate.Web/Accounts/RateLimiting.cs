using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SmartDoorplate.Accounts;

// Anonymous endpoints (scan pages, tenant submissions, sign-in) are open to the whole internet:
// each client IP gets a budget per minute. Signed-in staff are not limited here.
public static class RateLimiting
{
    public const string SignIn = "sign-in";

    public static IServiceCollection AddSmartDoorplateRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        // SD_ANON_RATE_LIMIT: anonymous requests per minute per client IP; 0 turns it off.
        var anonymousPerMinute = configuration.GetValue("SD_ANON_RATE_LIMIT", 600);
        var signInPerMinute = configuration.GetValue("SignIn:RequestsPerMinutePerIp", 30);

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                Hosting.RetryAfter.Set(context.HttpContext.Response, retryAfter);
                // A page route gets the error page (Hosting/ErrorPages), which says when to retry.
                if (Hosting.ErrorPages.IsPage(context.HttpContext.Request)) return;
                await Results.Problem(
                    title: "请求过于频繁，请稍后再试 / Too many requests, please try again later",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };

            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (anonymousPerMinute <= 0
                    || context.User.Identity?.IsAuthenticated == true
                    || context.Request.Path.StartsWithSegments("/health")
                    || Hosting.ErrorPages.IsReExecution(context))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }
                return RateLimitPartition.GetFixedWindowLimiter("anon:" + ClientAddress(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = anonymousPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });

            // Password guessing is slowed per IP before the per-account lock-out stops it.
            options.AddPolicy(SignIn, context => signInPerMinute <= 0
                ? RateLimitPartition.GetNoLimiter("unlimited")
                : RateLimitPartition.GetFixedWindowLimiter("sign-in:" + ClientAddress(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = signInPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        return services;
    }

    public static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
