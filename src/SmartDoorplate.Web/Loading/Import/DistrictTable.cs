using Npgsql;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

internal sealed class DistrictTable(NpgsqlConnection connection) : FeatureTable<DistrictsCopy.Row>(connection)
{
    public override ImportKind Kind => ImportKind.Districts;

    protected override string ExistingKeysSql => ImportSql.ExistingDistricts;

    protected override DistrictsCopy.Row? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.Digits("code", 6, required: true);
        var name = properties.RequiredText("name", 100);
        var boundary = ImportGeometry.ToMultiPolygon(feature.Geometry, crs, "districts", problems);
        return code is null || name is null || boundary is null ? null : new DistrictsCopy.Row(code, name, boundary);
    }

    protected override string KeyOf(DistrictsCopy.Row row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<DistrictsCopy.Row> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection, new DistrictsCopy(explicitIds: false), rows, count, "writing districts", progress, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}
