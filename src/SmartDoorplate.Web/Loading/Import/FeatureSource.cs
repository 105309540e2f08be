using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using SmartDoorplate.Data;

namespace SmartDoorplate.Loading.Import;

// One feature as read from a file: Number counts from 1 in file order (what people see in QGIS's
// attribute table); ReadError is set when this one feature could not be read but the file could.
public sealed record SourceFeature(int Number, Geometry? Geometry, FeatureProperties Properties, string? ReadError = null);

// The whole file (or its layer) could not be read: nothing about single features can be said.
public sealed class FeatureSourceException(string message) : Exception(message);

// GeoJSON, ESRI Shapefile or GeoPackage, chosen by extension. Every reader streams, so the importer
// can read a 200k-building file twice (check, then write) without holding it in memory.
public static class FeatureSource
{
    public static readonly IReadOnlyList<string> Extensions = [".geojson", ".json", ".shp", ".gpkg", ".csv"];

    // How a feature is pointed at in messages: a CSV row by its line, anything else by its number.
    public static string Describe(string path, int number) =>
        IsCsv(path) ? $"line {number}" : $"feature #{number}";

    public static bool IsCsv(string path) => Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<SourceFeature> Read(string path, string preferredLayer)
    {
        if (!File.Exists(path)) throw new FeatureSourceException($"{path}: no such file");
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".geojson" or ".json" => GeoJsonFeatureReader.Read(path),
            ".shp" => ReadShapefile(path),
            ".gpkg" => ReadGeoPackage(path, preferredLayer),
            ".csv" => CsvFeatureReader.Read(path),
            var other => throw new FeatureSourceException(
                $"{Path.GetFileName(path)}: unknown file type '{other}' (expected {string.Join(", ", Extensions)})"),
        };
    }

    private static IEnumerable<SourceFeature> ReadShapefile(string path)
    {
        ShapefileReader reader;
        try
        {
            // We check validity ourselves, to report it per feature instead of failing the whole file.
            reader = Shapefile.OpenRead(path, new ShapefileReaderOptions
            {
                Factory = Geo.Factory,
                GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
            });
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or NotSupportedException or FileNotFoundException)
        {
            throw new FeatureSourceException($"{Path.GetFileName(path)}: not a readable shapefile ({ex.Message})");
        }

        using (reader)
        {
            // A .prj in metres (e.g. UTM 48N, EPSG:32648) would otherwise only surface as "outside China".
            var projection = reader.Projection?.TrimStart() ?? "";
            if (projection.StartsWith("PROJCS", StringComparison.OrdinalIgnoreCase) || projection.StartsWith("PROJCRS", StringComparison.OrdinalIgnoreCase))
            {
                throw new FeatureSourceException(
                    $"{Path.GetFileName(path)}: the .prj is a projected coordinate system; expected longitude/latitude (EPSG:4326), e.g. ogr2ogr -t_srs EPSG:4326");
            }

            var number = 0;
            while (true)
            {
                Feature? feature;
                try
                {
                    if (!reader.Read(out _, out feature)) yield break;
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or FormatException)
                {
                    throw new FeatureSourceException($"{Path.GetFileName(path)}: feature #{number + 1} cannot be read ({ex.Message})");
                }

                number++;
                yield return new SourceFeature(number, feature.Geometry, FeatureProperties.From(feature.Attributes, PropertyNaming.Dbf));
            }
        }
    }

    private static IEnumerable<SourceFeature> ReadGeoPackage(string path, string preferredLayer)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ConnectionString);
        GeoPackageLayer layer;
        try
        {
            connection.Open();
            layer = GeoPackageLayer.Find(connection, preferredLayer, Path.GetFileName(path));
        }
        catch (SqliteException ex)
        {
            throw new FeatureSourceException($"{Path.GetFileName(path)}: not a readable GeoPackage ({ex.Message})");
        }

        var geometryReader = new GeoPackageGeoReader(Geo.Factory.CoordinateSequenceFactory, Geo.Factory.PrecisionModel) { HandleSRID = false };
        using var command = connection.CreateCommand();
        // Identifiers come from the file's own gpkg_contents and are quoted, never spliced raw.
        command.CommandText = $"select * from {QuoteSqlite(layer.TableName)}";
        using var rows = command.ExecuteReader();
        var number = 0;
        while (rows.Read())
        {
            number++;
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            Geometry? geometry = null;
            string? readError = null;
            for (var i = 0; i < rows.FieldCount; i++)
            {
                var name = rows.GetName(i);
                var value = rows.IsDBNull(i) ? null : rows.GetValue(i);
                if (string.Equals(name, layer.GeometryColumn, StringComparison.OrdinalIgnoreCase))
                {
                    if (value is byte[] blob)
                    {
                        try
                        {
                            geometry = geometryReader.Read(blob);
                        }
                        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ParseException or IOException or NotSupportedException)
                        {
                            readError = $"geometry cannot be read ({ex.Message})";
                        }
                    }
                }
                else
                {
                    properties[name] = value;
                }
            }

            if (geometry is not null) geometry.SRID = Geo.Srid;
            yield return new SourceFeature(number, geometry, FeatureProperties.From(properties, PropertyNaming.Exact), readError);
        }
    }

    private static string QuoteSqlite(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private sealed record GeoPackageLayer(string TableName, string GeometryColumn)
    {
        // EPSG:4326 (WGS84) and EPSG:4490 (CGCS2000, China's national datum) differ by centimetres;
        // anything else would be projected metres or another datum and must be converted first.
        private static readonly HashSet<long> LonLatSrsIds = [4326, 4490];

        public static GeoPackageLayer Find(SqliteConnection connection, string preferredLayer, string fileName)
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                select c.table_name, g.column_name, g.srs_id
                from gpkg_contents c join gpkg_geometry_columns g on g.table_name = c.table_name
                where c.data_type = 'features'
                order by c.table_name
                """;
            var layers = new List<(string Table, string Column, long SrsId)>();
            using (var rows = command.ExecuteReader())
            {
                while (rows.Read()) layers.Add((rows.GetString(0), rows.GetString(1), rows.GetInt64(2)));
            }

            if (layers.Count == 0) throw new FeatureSourceException($"{fileName}: the GeoPackage has no feature layer");
            var chosen = layers.Count == 1
                ? layers[0]
                : layers.FirstOrDefault(l => string.Equals(l.Table, preferredLayer, StringComparison.OrdinalIgnoreCase));
            if (chosen.Table is null)
            {
                throw new FeatureSourceException(
                    $"{fileName}: the GeoPackage has {layers.Count} feature layers ({string.Join(", ", layers.Select(l => l.Table))}) and none is called '{preferredLayer}'");
            }

            if (!LonLatSrsIds.Contains(chosen.SrsId))
            {
                throw new FeatureSourceException(
                    $"{fileName}: layer '{chosen.Table}' uses srs_id {chosen.SrsId}; expected longitude/latitude (EPSG:4326), e.g. ogr2ogr -t_srs EPSG:4326");
            }

            return new GeoPackageLayer(chosen.Table, chosen.Column);
        }
    }
}

public enum PropertyNaming
{
    Exact,

    // dBase field names are at most 10 characters, so "entranceLon" arrives as "entranceLo".
    Dbf,

    // CSV headers in snake_case: "caseNumber" is the column case_number.
    SnakeCase,
}

// Property values normalised to string / long / double / bool / DateTime / null, whatever format
// they came from: GeoJSON numbers arrive as decimal, DBF numbers as double, GeoPackage ones as long.
public sealed class FeatureProperties
{
    private const int DbfFieldNameLength = 10;
    private readonly Dictionary<string, object?> values;
    private readonly PropertyNaming naming;

    private FeatureProperties(Dictionary<string, object?> values, PropertyNaming naming)
    {
        this.values = values;
        this.naming = naming;
    }

    public static FeatureProperties From(IAttributesTable? attributes, PropertyNaming naming)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (attributes is not null)
        {
            foreach (var name in attributes.GetNames()) values[name] = Normalise(attributes[name]);
        }

        return new FeatureProperties(values, naming);
    }

    public static FeatureProperties From(IReadOnlyDictionary<string, object?> properties, PropertyNaming naming) =>
        new(properties.ToDictionary(p => p.Key, p => Normalise(p.Value), StringComparer.OrdinalIgnoreCase), naming);

    public object? this[string name] => TryFind(name, out var value) ? value : null;

    // The name the file itself uses for a property, for messages the file's author can act on.
    public string SourceName(string name) => naming == PropertyNaming.SnakeCase ? SnakeCaseEnum.ToSnakeCase(name) : name;

    // Null for a missing property and for an empty one: dBase cannot tell them apart.
    private bool TryFind(string name, out object? value)
    {
        if (naming == PropertyNaming.SnakeCase) name = SnakeCaseEnum.ToSnakeCase(name);
        if (values.TryGetValue(name, out value)) return value is not null;
        if (naming == PropertyNaming.Dbf && name.Length > DbfFieldNameLength
            && values.TryGetValue(name[..DbfFieldNameLength], out value))
        {
            return value is not null;
        }

        return false;
    }

    private static object? Normalise(object? value) => value switch
    {
        null or DBNull => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        decimal d => decimal.IsInteger(d) && d >= long.MinValue && d <= long.MaxValue ? (long)d : (double)d,
        double or float => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        int or long or short or byte or sbyte or uint or ushort => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        bool b => b,
        DateTime dt => dt,
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        // Nested objects and arrays are kept as text so that a wrong shape is reported, not crashed on.
        var other => other.ToString(),
    };
}
