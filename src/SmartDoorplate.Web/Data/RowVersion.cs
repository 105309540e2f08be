using System.Globalization;

namespace SmartDoorplate.Data;

public enum RowVersionRead { None, Given, Malformed }

// PostgreSQL's xmin is the optimistic concurrency token of every editable row (IsRowVersion in the
// entity configurations). Over HTTP it travels as a strong ETag ("123"); a client sends back the one
// it edited either as If-Match or as `version` in the JSON body, whichever suits it.
public static class RowVersion
{
    public static string ETag(uint version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static void SetETag(HttpResponse response, uint version) => response.Headers.ETag = ETag(version);

    // For bodies that take any JSON value for `version` (a number or its text): text that is not a
    // version is malformed like a bad If-Match.
    public static RowVersionRead Read(HttpRequest request, string? bodyVersion, out uint? version)
    {
        if (bodyVersion is null) return Read(request, (uint?)null, out version);
        if (uint.TryParse(bodyVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return Read(request, parsed, out version);
        version = null;
        return RowVersionRead.Malformed;
    }

    public static RowVersionRead Read(HttpRequest request, uint? bodyVersion, out uint? version)
    {
        version = bodyVersion;
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*") return bodyVersion is null ? RowVersionRead.None : RowVersionRead.Given;

        // xmin changes on every update, so a weak tag means the same as a strong one here.
        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"'
            || !uint.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var fromHeader)
            || (bodyVersion is not null && bodyVersion != fromHeader))
        {
            return RowVersionRead.Malformed;
        }

        version = fromHeader;
        return RowVersionRead.Given;
    }
}
