using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Loading.Tables;

namespace SmartDoorplate.Loading.Import;

internal sealed record DistrictRow(string Code, string Name, MultiPolygon Boundary);

internal sealed class DistrictTable(NpgsqlConnection connection) : FeatureTable<DistrictRow>(connection)
{
    public override ImportKind Kind => ImportKind.Districts;

    protected override string ExistingKeysSql => ImportSql.ExistingDistricts;

    protected override DistrictRow? Parse(SourceFeature feature, SourceCrs crs, List<string> problems)
    {
        var properties = new PropertyReader(feature.Properties, problems);
        var code = properties.Digits("code", 6, required: true);
        var name = properties.RequiredText("name", 100);
        var boundary = ImportGeometry.ToMultiPolygon(feature.Geometry, crs, "districts", problems);
        return code is null || name is null || boundary is null ? null : new DistrictRow(code, name, boundary);
    }

    protected override string KeyOf(DistrictRow row) => row.Code;

    protected override async Task<WriteOutcome> WriteAsync(IEnumerable<DistrictRow> rows, int count, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await BulkCopy.CopyAsync(Connection,
            "copy districts (code, name, boundary) from stdin (format binary)", rows, count, "writing districts", progress,
            async (w, row, ct) =>
            {
                await w.WriteAsync(row.Code, NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.Name, NpgsqlDbType.Text, ct);
                await w.WriteAsync(row.Boundary, NpgsqlDbType.Geometry, ct);
            }, cancellationToken);
        return WriteOutcome.Written((int)written);
    }
}
