using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Hosting;

// A request the framework cannot bind (a body that is not JSON, empty or `null` where an object is
// needed, a field of the wrong type, a query value that is not a number or a date) is the client's
// fault: 400 problem details naming the field, in every environment. Minimal APIs throw
// BadHttpRequestException for it when RouteHandlerOptions.ThrowOnBadRequest is on, which
// InputHandling turns on everywhere (off, production would answer a bare 400 and Development a 500).
// So is a form the form reader refuses (InvalidDataException). A value PostgreSQL refuses as data (class 22: a character or date it cannot store) that slipped past
// the input guard is answered the same way, since nothing was written: its transaction failed.
public sealed partial class BadRequests(IProblemDetailsService problems, ILogger<BadRequests> logger) : IExceptionHandler
{
    public static readonly Bilingual Title = new("请求无法识别，请检查后再试", "The request could not be read");
    public static readonly Bilingual ValueNotUnderstood = new("{0} 的值无法识别", "The value of {0} is not understood");
    public static readonly Bilingual ValueRequired = new("缺少 {0}", "{0} is required");
    public static readonly Bilingual BodyNotJson = new("请求正文须为有效的 JSON 对象", "The body must be a valid JSON object");
    public static readonly Bilingual BodyMissing = new("缺少请求正文", "The request body is missing");
    public static readonly Bilingual FieldWrongType = new("{0} 的值类型不对或格式无效", "{0} has the wrong type or format");
    public static readonly Bilingual MediaType = new("请求正文的类型不受支持", "The content type of the body is not supported");
    public static readonly Bilingual TooLarge = new("请求正文过大", "The request body is too large");
    public static readonly Bilingual FormUnreadable = new("表单含有不允许的字符，或超出大小限制", "The form holds characters that are not allowed, or is over its size limits");
    public static readonly Bilingual NotStorable = new("提交的值超出可保存的范围", "A value is outside what can be stored");

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted) return false;
        HttpValidationProblemDetails details;
        if (exception is BadHttpRequestException bad) details = Describe(bad);
        // The form readers' refusal (a NUL, a part over its limits), from a page or a file upload.
        else if (exception is InvalidDataException) details = ValidationProblems.Details(new Dictionary<string, Bilingual> { ["form"] = FormUnreadable }, Title);
        else if (FindDataException(exception) is { } data)
        {
            logger.LogWarning("PostgreSQL refused a value as data ({SqlState}): {Message}", data.SqlState, data.MessageText);
            details = ValidationProblems.Details(new Dictionary<string, Bilingual> { ["body"] = NotStorable }, Title);
        }
        else return false;

        context.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }

    public static HttpValidationProblemDetails Describe(BadHttpRequestException exception)
    {
        var status = exception.StatusCode;
        if (status == StatusCodes.Status415UnsupportedMediaType)
            return ValidationProblems.Details(new Dictionary<string, Bilingual> { ["body"] = MediaType }, Title, status);
        if (status == StatusCodes.Status413PayloadTooLarge)
            return ValidationProblems.Details(new Dictionary<string, Bilingual> { ["body"] = TooLarge }, Title, status);
        if (status != StatusCodes.Status400BadRequest) status = StatusCodes.Status400BadRequest;

        var parameter = ParameterName(exception.Message);
        Bilingual message;
        string field;
        if (FindJsonException(exception) is { } json)
        {
            // "$.moveInDate" names the field as the client wrote it; "$" is the body as a whole.
            var path = json.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
            field = path ?? "body";
            message = path is null ? BodyNotJson : FieldWrongType.Format(path);
        }
        else if (exception.Message.Contains("no body was provided", StringComparison.Ordinal)
            || exception.Message.Contains("from body", StringComparison.Ordinal))
        {
            field = "body";
            message = BodyMissing;
        }
        else if (exception.Message.StartsWith("Required parameter", StringComparison.Ordinal) && parameter is not null)
        {
            field = parameter;
            message = ValueRequired.Format(parameter);
        }
        else if (exception.Message.StartsWith("Failed to read parameter", StringComparison.Ordinal))
        {
            field = "body";
            message = BodyNotJson;
        }
        else
        {
            field = parameter ?? "request";
            message = ValueNotUnderstood.Format(field);
        }
        return ValidationProblems.Details(new Dictionary<string, Bilingual> { [field] = message }, Title, status);
    }

    // The binder's messages name the parameter as `"Type name"`; [AsParameters] properties come
    // PascalCase and are given back as the query key a client writes.
    private static string? ParameterName(string message)
    {
        var match = ParameterPattern().Match(message);
        if (!match.Success) return null;
        var name = match.Groups["name"].Value;
        return name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : null;
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
            if (current is JsonException json) return json;
        return null;
    }

    // Class 22 is "data exception": 22021 a character not in the encoding (NUL), 22008 a date out of
    // range, 22003 a number out of range, 22P02 text that is not a value of the column's type.
    private static PostgresException? FindDataException(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
            if (current is PostgresException postgres && postgres.SqlState.StartsWith("22", StringComparison.Ordinal)) return postgres;
        return null;
    }

    [GeneratedRegex("""parameter "(?:[^"]*\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)"\s""")]
    private static partial Regex ParameterPattern();
}
