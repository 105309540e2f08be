using Npgsql;
using NpgsqlTypes;

namespace SmartDoorplate.Loading.Tables;

// rooms, with ids given by the caller (the seed reserves them) or taken from the identity column.
public sealed class RoomsCopy(bool explicitIds) : TableCopy<RoomsCopy.Row>("rooms",
    [.. Optional(explicitIds, "id"), "building_id", "floor", "number", "area_m2", "beds"])
{
    public sealed record Row(long BuildingId, int Floor, string Number, decimal? AreaM2, int Beds, long? Id = null);

    public override async Task WriteAsync(NpgsqlBinaryImporter writer, Row row, CancellationToken cancellationToken)
    {
        if (explicitIds) await writer.WriteAsync(row.Id!.Value, NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync(row.BuildingId, NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync(row.Floor, NpgsqlDbType.Integer, cancellationToken);
        await writer.WriteAsync(row.Number, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteNullableAsync(row.AreaM2, NpgsqlDbType.Numeric, cancellationToken);
        await writer.WriteAsync(row.Beds, NpgsqlDbType.Integer, cancellationToken);
    }
}
