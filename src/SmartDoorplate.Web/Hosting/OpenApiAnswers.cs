using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace SmartDoorplate.Hosting;

// /openapi/v1.json tells a client every answer it can get. The answers every endpoint of a kind can
// give are derived here once from the endpoint's metadata, so a new endpoint is described without
// anyone remembering to; the ones only a handler knows (409 on a stale version, 428 without one) are
// declared on the endpoint with ProducesProblem. The fuzz test (OpenApiFuzzTests) keeps this true.
public static class OpenApiAnswers
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    public const string CookieName = "sd.session";

    public static IServiceCollection AddSmartDoorplateOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "POST /api/auth/login 返回的令牌 / The token POST /api/auth/login answers",
                };
                document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = CookieName,
                    Description = "登录页设置的会话 Cookie / The session cookie the sign-in page sets",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                Describe(operation, context);
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();
        var path = "/" + (description.RelativePath ?? "");
        var isApi = path.StartsWith("/api/", StringComparison.Ordinal) || path == "/api";

        // The input guard reads every query string, and the binder every parameter and body.
        Add(operation, 400, "请求有误（字段见 errors）/ Bad input (the fields are in errors)");
        if (description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body)
            || operation.RequestBody is not null)
        {
            Add(operation, 415, "请求正文类型不受支持 / The body's content type is not supported");
        }
        if (description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path))
            Add(operation, 404, "不存在或不在您的权限范围内 / Not found, or not yours to see");

        var authorized = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (authorized)
        {
            Add(operation, 401, "未登录或会话已结束 / Not signed in, or the session has ended");
            Add(operation, 403, "无权访问 / Not allowed for this account");
            // Outside /api a browser's cookie session is sent to the sign-in page instead.
            if (!isApi) Add(operation, 302, "转到登录页 / Redirect to the sign-in page");
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] });
        }

        // Every request not signed in counts against its address's budget (Accounts/RateLimiting),
        // even to an endpoint that will then refuse it, because the limiter runs before authorization;
        // sign-in has a budget of its own. Health probes are not limited.
        if (!path.StartsWith("/health", StringComparison.Ordinal) || metadata.OfType<EnableRateLimitingAttribute>().Any())
            Add(operation, 429, "请求过于频繁 / Too many requests (see Retry-After)");

        // Every request reaches the database (the session check, the audit trail, the data itself):
        // 503 with Retry-After when it is too busy (DatabaseBusy).
        Add(operation, 503, "系统繁忙 / The server is busy (see Retry-After)");
    }

    private static void Add(OpenApiOperation operation, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        operation.Responses!.TryAdd(key, new OpenApiResponse { Description = description });
    }
}
