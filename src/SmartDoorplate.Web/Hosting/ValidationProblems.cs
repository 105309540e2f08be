using Microsoft.AspNetCore.Http.HttpResults;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Hosting;

// Every answer to bad input has one shape, whoever finds the fault (a handler's rules, the input
// guard, the binder through BadRequests): RFC 9457 problem details with status 400, a title in Chinese
// and English, and `errors` keyed by the field as the client named it, each message in both languages.
// A client then reads one structure for every refusal.
public static class ValidationProblems
{
    public static readonly Bilingual Title = new("提交的内容有误，请按提示修改", "Some fields need correcting");

    public static ValidationProblem For(IReadOnlyDictionary<string, Bilingual> errors, Bilingual? title = null,
        IDictionary<string, object?>? extensions = null) =>
        For(Messages(errors), title, extensions);

    public static ValidationProblem For(string field, Bilingual message, Bilingual? title = null) =>
        For(new Dictionary<string, Bilingual> { [field] = message }, title);

    // For rules that gather several messages per field (a file's lines); each message is already bilingual.
    public static ValidationProblem For(IDictionary<string, string[]> errors, Bilingual? title = null,
        IDictionary<string, object?>? extensions = null) =>
        TypedResults.ValidationProblem(errors, title: (title ?? Title).ToString(), extensions: extensions);

    // The same shape for those that write the answer themselves (middleware, exception handlers).
    public static HttpValidationProblemDetails Details(IReadOnlyDictionary<string, Bilingual> errors, Bilingual? title = null,
        int status = StatusCodes.Status400BadRequest) =>
        new(Messages(errors))
        {
            Status = status,
            Title = (title ?? Title).ToString(),
            Type = status == StatusCodes.Status400BadRequest ? "https://tools.ietf.org/html/rfc9110#section-15.5.1" : null,
        };

    private static Dictionary<string, string[]> Messages(IReadOnlyDictionary<string, Bilingual> errors) =>
        errors.ToDictionary(e => e.Key, e => new[] { e.Value.ToString() });
}
