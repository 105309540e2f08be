using Npgsql;
using SmartDoorplate.Gis;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

// Road centre lines for the police map's base layer: `code` (unique), `name` (optional: an unnamed
// road is still drawn), `kind` (main|branch|lane or 主干道|支路|巷), `widthM` (optional, metres).
internal sealed class RoadTable(NpgsqlConnection connection) : FeatureTable<RoadsCopy.Row>(connection)
{
    // Wider than any road; a larger number is a unit mistake (centimetres, feet).
    private const double MaxWidthMetres = 200;

    public override ImportKind Kind => ImportKind.Roads;

    protected override string ExistingKeysSql => ImportSql.ExistingRoads;

    protected override RoadsCopy.Row? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.RequiredText("code", 40);
        var name = properties.OptionalText("name", 60);
        var kind = properties.RequiredCode("kind", BaseMapNames.RoadKinds);
        var width = properties.OptionalNumber("widthM");
        if (width is < 0.5 or > MaxWidthMetres)
        {
            problems.Add($"'widthM' is {ImportGeometry.Format(width.Value)}; a road is 0.5–{MaxWidthMetres} m wide");
            width = null;
        }
        var geometry = ImportGeometry.ToMultiLineString(feature.Geometry, crs, problems);
        return code is null || kind is null || geometry is null || problems.Count > 0
            ? null
            : new RoadsCopy.Row(code, string.IsNullOrWhiteSpace(name) ? null : name.Trim(), kind.Value,
                width is null ? null : Math.Round((decimal)width.Value, 1), geometry);
    }

    protected override string KeyOf(RoadsCopy.Row row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<RoadsCopy.Row> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection, new RoadsCopy(), rows, count, "writing roads", progress, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}

// Points an officer finds their way by: `code` (unique), `name`, `kind` (police_station, market, … or
// 派出所, 市场, …). The map draws them with the roads.
internal sealed class LandmarkTable(NpgsqlConnection connection) : FeatureTable<LandmarksCopy.Row>(connection)
{
    public override ImportKind Kind => ImportKind.Landmarks;

    protected override string ExistingKeysSql => ImportSql.ExistingLandmarks;

    protected override LandmarksCopy.Row? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.RequiredText("code", 40);
        var name = properties.RequiredText("name", 100);
        var kind = properties.RequiredCode("kind", BaseMapNames.LandmarkKinds);
        var location = ImportGeometry.ToPoint(feature.Geometry, crs, problems, "landmarks");
        return code is null || name is null || kind is null || location is null
            ? null
            : new LandmarksCopy.Row(code, name, kind.Value, location);
    }

    protected override string KeyOf(LandmarksCopy.Row row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<LandmarksCopy.Row> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection, new LandmarksCopy(), rows, count, "writing landmarks", progress, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}
