using Npgsql;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

internal sealed class GridTable(NpgsqlConnection connection) : FeatureTable<GridsCopy.Row>(connection)
{
    private Dictionary<string, long> stationIds = [];

    public override ImportKind Kind => ImportKind.Grids;

    protected override string ExistingKeysSql => ImportSql.ExistingGrids;

    protected override async Task LoadReferencesAsync(CancellationToken cancellationToken) =>
        stationIds = await ImportTables.LoadCodesAsync(Connection, ImportSql.StationCodes, cancellationToken);

    protected override GridsCopy.Row? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.RequiredText("code", 40);
        var name = properties.RequiredText("name", 100);
        var stationCode = properties.RequiredText("stationCode", 40);
        var villageCode = properties.Digits("villageCode", 12, required: false);
        var boundary = ImportGeometry.ToMultiPolygon(feature.Geometry, crs, "grids", problems);
        long? stationId = null;
        if (stationCode is not null)
        {
            if (stationIds.TryGetValue(stationCode, out var id)) stationId = id;
            else problems.Add($"stationCode '{stationCode}' is not a known police station (import stations first)");
        }

        return code is null || name is null || stationId is null || boundary is null
            ? null
            : new GridsCopy.Row(code, name, stationId.Value, villageCode, boundary);
    }

    protected override string KeyOf(GridsCopy.Row row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<GridsCopy.Row> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection, new GridsCopy(explicitIds: false), rows, count, "writing grids", progress, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}
