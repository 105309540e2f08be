using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Cases;

// Any JSON value is accepted for each field ("theft", 3, null…) and checked by CaseRules, so that a
// wrong type gets the same field-by-field answer as a wrong value.
public sealed record CaseRequest(
    JsonElement? CaseNumber, JsonElement? Type, JsonElement? OccurredAt, JsonElement? Lon, JsonElement? Lat,
    JsonElement? Crs, JsonElement? Status, JsonElement? Summary, JsonElement? Version)
{
    public static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } e => e.GetString()?.Trim() is { Length: > 0 } s ? s : null,
        { } e => e.GetRawText(),
    };
}

public sealed record CaseInput(string CaseNumber, CaseType Type, DateTimeOffset OccurredAt, Point Location, CaseStatus Status, string? Summary);

// One set of rules for a case typed in (POST/PUT); the importer checks files with the same code
// lists (CaseTypes) and the same lon/lat box and GCJ-02 conversion (ImportGeometry).
public static class CaseRules
{
    public const int CaseNumberMaxLength = 40;
    public const int SummaryMaxLength = 1000;

    // A clock a few minutes fast on the officer's phone is not an error.
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(10);

    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public static CaseInput? Check(CaseRequest body, DateTimeOffset now, Dictionary<string, Bilingual> errors)
    {
        var caseNumber = CaseRequest.Text(body.CaseNumber);
        if (caseNumber is null || caseNumber.Length > CaseNumberMaxLength || caseNumber.Any(char.IsControl))
        {
            errors["caseNumber"] = CasesText.CaseNumberRequired;
        }

        if (!CaseTypes.TryParse(CaseRequest.Text(body.Type), out var type))
        {
            errors["type"] = CasesText.TypeInvalid.Format(string.Join("|", SnakeCaseEnum.Codes<CaseType>()));
        }

        var statusText = CaseRequest.Text(body.Status);
        var status = CaseStatus.Open;
        if (statusText is not null && !CaseTypes.TryParseStatus(statusText, out status)) errors["status"] = CasesText.StatusInvalid;

        DateTimeOffset occurredAt = default;
        if (!DateTimeOffset.TryParseExact(CaseRequest.Text(body.OccurredAt), InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out occurredAt))
        {
            errors["occurredAt"] = CasesText.OccurredAtInvalid;
        }
        else if (occurredAt > now + FutureTolerance)
        {
            errors["occurredAt"] = CasesText.OccurredAtFuture;
        }

        var crs = CaseRequest.Text(body.Crs) switch
        {
            null or "wgs84" => SourceCrs.Wgs84,
            "gcj02" => SourceCrs.Gcj02,
            _ => (SourceCrs?)null,
        };
        if (crs is null) errors["crs"] = CasesText.CrsInvalid;
        var lon = Degrees(body.Lon, ImportGeometry.MinLongitude, ImportGeometry.MaxLongitude);
        var lat = Degrees(body.Lat, ImportGeometry.MinLatitude, ImportGeometry.MaxLatitude);
        if (lon is null) errors["lon"] = CasesText.LonInvalid;
        if (lat is null) errors["lat"] = CasesText.LatInvalid;

        var summary = CaseRequest.Text(body.Summary);
        if (summary is { Length: > SummaryMaxLength }) errors["summary"] = CasesText.SummaryTooLong;

        if (errors.Count > 0) return null;
        var location = Geo.Factory.CreatePoint(ImportGeometry.ToWgs84(new Coordinate(lon!.Value, lat!.Value), crs!.Value));
        return new CaseInput(caseNumber!, type, occurredAt, location, status, summary);
    }

    private static double? Degrees(JsonElement? value, double min, double max)
    {
        double number;
        switch (value)
        {
            case { ValueKind: JsonValueKind.Number } e when e.TryGetDouble(out number):
                break;
            case { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number):
                break;
            default:
                return null;
        }

        return double.IsFinite(number) && number >= min && number <= max ? number : null;
    }
}
