using System.Globalization;

namespace SmartDoorplate.Localization;

// User-facing text comes in Chinese (the default) and English. A catalogue of these records, one
// per feature, is this app's resource table: it keeps each message and its translation side by
// side, which reviewers of both languages asked for, and the compiler catches a missing key.
public sealed record Bilingual(string Zh, string En)
{
    public string In(Language language) => language == Language.En ? En : Zh;

    // APIs answer both at once: clients pick, and logs and tickets stay readable to either reader.
    public override string ToString() => $"{Zh} / {En}";

    public Bilingual Format(params object[] args) =>
        new(string.Format(CultureInfo.InvariantCulture, Zh, args), string.Format(CultureInfo.InvariantCulture, En, args));
}

public enum Language { Zh, En }

public static class Languages
{
    // ?lang=en wins, then Accept-Language; Chinese otherwise.
    public static Language Of(HttpRequest request)
    {
        var query = request.Query["lang"].ToString();
        if (query.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return Language.En;
        if (query.StartsWith("zh", StringComparison.OrdinalIgnoreCase)) return Language.Zh;
        var accept = request.GetTypedHeaders().AcceptLanguage;
        var best = accept?.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault()?.Value.Value ?? "";
        return best.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Language.En : Language.Zh;
    }
}
