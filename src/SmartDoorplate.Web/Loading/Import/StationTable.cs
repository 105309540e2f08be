using Npgsql;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

internal sealed class StationTable(NpgsqlConnection connection) : FeatureTable<StationsCopy.Row>(connection)
{
    private Dictionary<string, long> districtIds = [];

    public override ImportKind Kind => ImportKind.Stations;

    protected override string ExistingKeysSql => ImportSql.ExistingStations;

    protected override async Task LoadReferencesAsync(CancellationToken cancellationToken) =>
        districtIds = await ImportTables.LoadCodesAsync(Connection, ImportSql.DistrictCodes, cancellationToken);

    protected override StationsCopy.Row? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.RequiredText("code", 40);
        var name = properties.RequiredText("name", 100);
        var districtCode = properties.Digits("districtCode", 6, required: true);
        var hotline = properties.RequiredText("hotline", 40);
        var officerName = properties.OptionalText("officerName", 40);
        var officerPhone = properties.OptionalText("officerPhone", 40);
        var boundary = ImportGeometry.ToMultiPolygon(feature.Geometry, crs, "police stations", problems);
        long? districtId = null;
        if (districtCode is not null)
        {
            if (districtIds.TryGetValue(districtCode, out var id)) districtId = id;
            else problems.Add($"districtCode '{districtCode}' is not a known district (import districts first)");
        }

        return code is null || name is null || districtId is null || hotline is null || boundary is null
            ? null
            : new StationsCopy.Row(code, name, districtId.Value, hotline, officerName, officerPhone, boundary);
    }

    protected override string KeyOf(StationsCopy.Row row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<StationsCopy.Row> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection, new StationsCopy(explicitIds: false), rows, count, "writing police stations", progress, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}
