using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace SmartDoorplate.Loading.Tables;

// police_stations, with ids given by the caller (the seed reserves them) or taken from the identity column.
public sealed class StationsCopy(bool explicitIds) : TableCopy<StationsCopy.Row>("police_stations",
    [.. Optional(explicitIds, "id"), "district_id", "code", "name", "hotline", "officer_name", "officer_phone", "boundary"])
{
    public sealed record Row(string Code, string Name, long DistrictId, string Hotline, string? OfficerName, string? OfficerPhone, MultiPolygon Boundary, long? Id = null);

    public override async Task WriteAsync(NpgsqlBinaryImporter writer, Row row, CancellationToken cancellationToken)
    {
        if (explicitIds) await writer.WriteAsync(row.Id!.Value, NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync(row.DistrictId, NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync(row.Code, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.Hotline, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteNullableAsync(row.OfficerName, cancellationToken);
        await writer.WriteNullableAsync(row.OfficerPhone, cancellationToken);
        await writer.WriteAsync(row.Boundary, NpgsqlDbType.Geometry, cancellationToken);
    }
}
