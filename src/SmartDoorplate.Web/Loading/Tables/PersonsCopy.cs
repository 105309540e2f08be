using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Loading.Tables;

// persons, already encrypted: the ID number and phone as cipher and blind index. created_at is given
// by the seed (its people arrived over years) or left to the column's default.
public sealed class PersonsCopy(bool explicitCreatedAt) : TableCopy<PersonsCopy.Row>("persons",
    ["id", "name", "id_number_cipher", "id_number_index", "phone_cipher", "phone_index", "sex", "birth_date", "origin_region_code",
        .. Optional(explicitCreatedAt, "created_at")])
{
    public sealed record Row(
        Guid Id, string Name, byte[] IdNumberCipher, byte[] IdNumberIndex, byte[] PhoneCipher, byte[] PhoneIndex,
        Sex Sex, DateOnly BirthDate, string RegionCode, DateTimeOffset? CreatedAt = null);

    public override async Task WriteAsync(NpgsqlBinaryImporter writer, Row row, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid, cancellationToken);
        await writer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.IdNumberCipher, NpgsqlDbType.Bytea, cancellationToken);
        await writer.WriteAsync(row.IdNumberIndex, NpgsqlDbType.Bytea, cancellationToken);
        await writer.WriteAsync(row.PhoneCipher, NpgsqlDbType.Bytea, cancellationToken);
        await writer.WriteAsync(row.PhoneIndex, NpgsqlDbType.Bytea, cancellationToken);
        await writer.WriteAsync(SnakeCaseEnum.ToCode(row.Sex), NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.BirthDate, NpgsqlDbType.Date, cancellationToken);
        await writer.WriteAsync(row.RegionCode, NpgsqlDbType.Text, cancellationToken);
        if (explicitCreatedAt) await writer.WriteAsync(row.CreatedAt!.Value, NpgsqlDbType.TimestampTz, cancellationToken);
    }
}
