using NetTopologySuite.Geometries;
using SmartDoorplate.Data;

namespace SmartDoorplate.Loading.Import;

// Points as a spreadsheet gives them: one row a feature, the location in `lon` and `lat` columns
// (in the file's CRS, converted like any other geometry), every other column a property. Column
// names are snake_case (case_number, occurred_at) as spreadsheets and databases export them; the
// tables ask for properties by their GeoJSON names (caseNumber), so FeatureProperties matches both
// and names the CSV column in its messages. A feature's Number is its physical line (header = 1),
// which is what an editor or Excel shows next to the row.
public static class CsvFeatureReader
{
    public const string LongitudeColumn = "lon";
    public const string LatitudeColumn = "lat";

    public static IEnumerable<SourceFeature> Read(string path)
    {
        CsvFile file;
        try
        {
            file = CsvFile.Open(path, LongitudeColumn, LatitudeColumn);
        }
        catch (InvalidDataException ex)
        {
            throw new FeatureSourceException(ex.Message);
        }

        using (file)
        {
            var columns = file.Headers.Where(h => h is not LongitudeColumn and not LatitudeColumn).ToArray();
            while (true)
            {
                bool more;
                try
                {
                    more = file.Read();
                }
                catch (InvalidDataException ex)
                {
                    throw new FeatureSourceException(ex.Message);
                }

                if (!more) yield break;
                var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var column in columns) properties[column] = file.Text(column);
                var (geometry, error) = ReadPoint(file.Text(LongitudeColumn), file.Text(LatitudeColumn));
                yield return new SourceFeature(file.Line, geometry, FeatureProperties.From(properties, PropertyNaming.SnakeCase), error);
            }
        }
    }

    private static (Geometry? Point, string? Error) ReadPoint(string? lon, string? lat)
    {
        if (lon is null || lat is null) return (null, $"'{LongitudeColumn}' and '{LatitudeColumn}' are both required");
        if (!TryNumber(lon, out var x) || !TryNumber(lat, out var y))
        {
            return (null, $"'{LongitudeColumn}' and '{LatitudeColumn}' must be decimal degrees, not '{lon}', '{lat}'");
        }

        return (Geo.Point(x, y), null);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);
}
