using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

internal sealed record GridRow(string Code, string Name, long StationId, string? VillageCode, MultiPolygon Boundary);

internal sealed class GridTable(NpgsqlConnection connection) : FeatureTable<GridRow>(connection)
{
    private Dictionary<string, long> stationIds = [];

    public override ImportKind Kind => ImportKind.Grids;

    protected override string ExistingKeysSql => ImportSql.ExistingGrids;

    protected override async Task LoadReferencesAsync(CancellationToken cancellationToken) =>
        stationIds = await ImportTables.LoadCodesAsync(Connection, ImportSql.StationCodes, cancellationToken);

    protected override GridRow? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
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
            : new GridRow(code, name, stationId.Value, villageCode, boundary);
    }

    protected override string KeyOf(GridRow row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<GridRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection,
            "copy community_grids (station_id, code, name, village_code, boundary) from stdin (format binary)",
            rows, count, "writing grids", progress,
            async (w, row, ct) =>
            {
                await w.WriteAsync(row.StationId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(row.Code, NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.Name, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(row.VillageCode, ct);
                await w.WriteAsync(row.Boundary, NpgsqlDbType.Geometry, ct);
            }, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}
