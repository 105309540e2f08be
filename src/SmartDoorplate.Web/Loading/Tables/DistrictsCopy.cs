using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace SmartDoorplate.Loading.Tables;

// districts, with ids given by the caller (the seed reserves them) or taken from the identity column.
public sealed class DistrictsCopy(bool explicitIds) : TableCopy<DistrictsCopy.Row>("districts", [.. Optional(explicitIds, "id"), "code", "name", "boundary"])
{
    public sealed record Row(string Code, string Name, MultiPolygon Boundary, long? Id = null);

    public override async Task WriteAsync(NpgsqlBinaryImporter writer, Row row, CancellationToken cancellationToken)
    {
        if (explicitIds) await writer.WriteAsync(row.Id!.Value, NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync(row.Code, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.Boundary, NpgsqlDbType.Geometry, cancellationToken);
    }
}
