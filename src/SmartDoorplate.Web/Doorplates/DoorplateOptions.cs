namespace SmartDoorplate.Doorplates;

public sealed class DoorplateOptions
{
    public const string Section = "Doorplates";

    // Where the QR of a plate points: {PublicBaseUrl}/d/{code}. Set it in production — a plate hangs for
    // years, so the link must be the public name of the service, not whatever host a request came by.
    public string? PublicBaseUrl { get; set; }
}

public static class DoorplateLinks
{
    // The command line has no request to take a host from; this is where scripts/run.sh serves.
    public const string CommandLineDefaultBaseUrl = "http://127.0.0.1:5080";

    public static string ScanLink(string baseUrl, string code) => $"{baseUrl.TrimEnd('/')}/d/{code}";

    public static string BaseUrlFor(HttpRequest request, DoorplateOptions options) =>
        options.PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static bool IsValidBaseUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
}
