using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace SmartDoorplate.Loading.Tables;

// community_grids, with ids given by the caller (the seed reserves them) or taken from the identity column.
public sealed class GridsCopy(bool explicitIds) : TableCopy<GridsCopy.Row>("community_grids",
    [.. Optional(explicitIds, "id"), "station_id", "code", "name", "village_code", "boundary"])
{
    public sealed record Row(string Code, string Name, long StationId, string? VillageCode, MultiPolygon Boundary, long? Id = null);

    public override async Task WriteAsync(NpgsqlBinaryImporter writer, Row row, CancellationToken cancellationToken)
    {
        if (explicitIds) await writer.WriteAsync(row.Id!.Value, NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync(row.StationId, NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync(row.Code, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteNullableAsync(row.VillageCode, cancellationToken);
        await writer.WriteAsync(row.Boundary, NpgsqlDbType.Geometry, cancellationToken);
    }
}
