using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Hosting;

// One guard for text and dates in front of every endpoint and page, so that no handler meets them:
// query and route values, the fields of a page's form and every string of a JSON body. It refuses
// control characters (U+0000–U+001F; a form or a JSON body may keep tab and line breaks, which a
// text area sends), text that was not valid UTF-8 (U+FFFD, lone surrogates), dates outside 1900–2100
// (PostgreSQL would refuse NUL, and date arithmetic overflows at the ends of the calendar) and page
// numbers or sizes out of range. It answers 400 problem details naming each field, before anything is
// read from or written to the database. A page asked for by a browser gets a short page instead.
public sealed partial class InputGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public const int FirstYear = 1900;
    public const int LastYear = 2100;
    public const int MaxPage = 100_000;
    public const int MaxPageSize = 1_000;

    public static readonly Bilingual Title = new("提交的内容含有不允许的字符或超出范围的值", "The request holds characters or values that are not allowed");
    public static readonly Bilingual ControlCharacter = new("{0} 含有不允许的控制字符", "{0} holds a control character that is not allowed");
    public static readonly Bilingual NotUtf8 = new("{0} 不是有效的 UTF-8 文本", "{0} is not valid UTF-8 text");
    public static readonly Bilingual DateOutOfRange = new("{0} 的日期须在 1900–2100 年之间", "{0} must be a date between 1900 and 2100");
    public static readonly Bilingual PageOutOfRange = new("{0} 须为 1–100000", "{0} must be 1–100000");
    public static readonly Bilingual PageSizeOutOfRange = new("{0} 须为 1–1000", "{0} must be 1–1000");
    public static readonly Bilingual BodyNotJson = BadRequests.BodyNotJson;
    public static readonly Bilingual FormUnreadable = BadRequests.FormUnreadable;
    public static readonly Bilingual PageHint = new("请返回上一页修改后再提交。", "Please go back, correct it and send it again.");

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var errors = new Dictionary<string, Bilingual>();
        foreach (var (key, values) in request.Query)
        {
            if (TextProblem(key, multiline: false) is not null) errors["query"] = ControlCharacter.Format("query");
            foreach (var value in values) Check(errors, key, value, multiline: false);
        }
        foreach (var (key, value) in request.RouteValues)
            if (value is string text) Check(errors, key, text, multiline: false);

        // A page's form (the API reads JSON; a multipart upload is a file, which its endpoint checks).
        if (request.HasFormContentType && request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            // The form reader itself refuses a NUL (and a form over its limits), without naming the field.
            try
            {
                var form = await request.ReadFormAsync(context.RequestAborted);
                foreach (var (key, values) in form)
                    foreach (var value in values) Check(errors, key, value, multiline: true);
            }
            catch (InvalidDataException) { errors["form"] = FormUnreadable; }
        }
        else if (IsJson(request.ContentType) && request.ContentLength != 0)
        {
            request.EnableBuffering();
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            request.Body.Position = 0;
            if (body.Length > 0) CheckJson(errors, new ReadOnlySpan<byte>(body.GetBuffer(), 0, (int)body.Length));
        }

        if (errors.Count == 0)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (!request.Path.StartsWithSegments("/api") && AcceptsHtml(request))
        {
            var language = Languages.Of(request);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(RefusalPage(language, errors), context.RequestAborted);
            return;
        }
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = ValidationProblems.Details(errors, Title) });
    }

    private static void Check(Dictionary<string, Bilingual> errors, string field, string? value, bool multiline)
    {
        if (value is null || errors.ContainsKey(field)) return;
        if (ValueProblem(field, value, multiline) is { } problem) errors[field] = problem.Format(field);
    }

    // NAME is the field's own name (the last step of a JSON path), which says whether it is a page number.
    private static Bilingual? ValueProblem(string? name, string value, bool multiline) =>
        TextProblem(value, multiline) ?? (DateProblem(value) ? DateOutOfRange : null) ?? (name is null ? null : PageProblem(name, value));

    public static Bilingual? TextProblem(string value, bool multiline)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < '\u0020' && !(multiline && c is '\t' or '\n' or '\r')) return ControlCharacter;
            if (c == '\uFFFD') return NotUtf8;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
                else return NotUtf8;
            }
            else if (char.IsLowSurrogate(c)) return NotUtf8;
        }
        return null;
    }

    // Only what reads as a date (2024-05-01, 2024-05-01T08:00+08:00, 5/1/2024) is held to the range;
    // other text (a phone, an ID number) is never taken for one.
    public static bool DateProblem(string value)
    {
        var match = DatePattern().Match(value);
        if (!match.Success) return false;
        var year = match.Groups["iso"].Success ? match.Groups["iso"].Value : match.Groups["us"].Value;
        return !int.TryParse(year, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var y) || y is < FirstYear or > LastYear;
    }

    private static Bilingual? PageProblem(string field, string value)
    {
        if (!IsPageField(field)) return null;
        var isPage = field.Equals("page", StringComparison.OrdinalIgnoreCase);
        // What is not a whole number at all is the binder's to refuse (BadRequests).
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out var number)) return null;
        if (isPage) return number is < 1 or > MaxPage ? PageOutOfRange : null;
        return number is < 1 or > MaxPageSize ? PageSizeOutOfRange : null;
    }

    private static bool IsPageField(string? name) =>
        name is not null && (name.Equals("page", StringComparison.OrdinalIgnoreCase) || name.Equals("pageSize", StringComparison.OrdinalIgnoreCase));

    private static void CheckJson(Dictionary<string, Bilingual> errors, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        // Where the reader is: per open object its current property, per open array its current index.
        var frames = new List<JsonFrame>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    frames[^1].Name = reader.GetString();
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    frames.RemoveAt(frames.Count - 1);
                    continue;
                }
                if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    frames.Add(new JsonFrame { IsArray = reader.TokenType == JsonTokenType.StartArray });
                    continue;
                }
                // The field's path is spelled out only for a refusal: this runs for every string of every
                // body, the tenant's submission included, and nearly all of them pass.
                var name = frames.Count > 0 && !frames[^1].IsArray ? frames[^1].Name : null;
                Bilingual? problem = null;
                if (reader.TokenType == JsonTokenType.String)
                {
                    try { problem = ValueProblem(name, reader.GetString()!, multiline: true); }
                    catch (InvalidOperationException) { problem = NotUtf8; }
                }
                else if (reader.TokenType == JsonTokenType.Number && IsPageField(name))
                {
                    // A number holds no control character nor a date; only page numbers are held to a range.
                    problem = PageProblem(name!, System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
                }
                if (problem is not null)
                {
                    var field = Path(frames);
                    errors.TryAdd(field, problem.Format(field));
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or not UTF-8: the whole body is refused in one message.
            errors.TryAdd("body", BodyNotJson);
        }
    }

    private sealed class JsonFrame
    {
        public bool IsArray;
        public int Index = -1;
        public string? Name;
    }

    // items[0].name, as the client wrote it.
    private static string Path(List<JsonFrame> frames)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray) builder.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else if (frame.Name is not null) builder.Append(builder.Length > 0 ? "." : "").Append(frame.Name);
        }
        return builder.Length > 0 ? builder.ToString() : "body";
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    // No inline script or style (the CSP forbids both); field names come from the request, so encoded.
    private static string RefusalPage(Language language, Dictionary<string, Bilingual> errors)
    {
        // Chinese stays readable (the default encoder turns it into entities), markup is still encoded.
        var encoder = HtmlEncoder.Create(UnicodeRanges.All);
        var items = string.Concat(errors.Values.Select(message => $"<li>{encoder.Encode(message.In(language))}</li>"));
        return "<!DOCTYPE html>\n"
            + $"<html lang=\"{(language == Language.En ? "en" : "zh-CN")}\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<title>{encoder.Encode(Title.In(language))}</title></head>\n"
            + $"<body><h1>{encoder.Encode(Title.In(language))}</h1><ul>{items}</ul><p>{encoder.Encode(PageHint.In(language))}</p></body></html>\n";
    }

    [GeneratedRegex(@"^\s*(?:(?<iso>[+-]?\d{4,9})-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/(?<us>\d{4,9}))(?!\d)")]
    private static partial Regex DatePattern();
}

public static class InputHandling
{
    // Binding failures throw in every environment, so that BadRequests answers them with problem
    // details (otherwise production answers a bare 400 and Development a 500 with a stack trace).
    public static IServiceCollection AddInputHandling(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequests>();
        return services;
    }

    public static IApplicationBuilder UseInputGuard(this IApplicationBuilder app) => app.UseMiddleware<InputGuard>();
}
