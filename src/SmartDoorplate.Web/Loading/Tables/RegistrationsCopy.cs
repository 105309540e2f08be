using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Loading.Tables;

// residence_registrations with their whole history (who confirmed, verified or rejected them, and when).
// Every column is written; the ones a caller has no value for are null, as their columns default to.
public sealed class RegistrationsCopy() : TableCopy<RegistrationsCopy.Row>("residence_registrations",
    "id", "receipt", "person_id", "building_id", "room_id", "room_label", "move_in_date", "move_out_date", "reason", "employer",
    "status", "channel", "late", "submitted_at", "confirmed_at", "confirmed_by_id", "verified_at", "verified_by_id",
    "rejected_at", "rejection_reason", "ended_at")
{
    public sealed record Row(
        Guid Id, string Receipt, Guid PersonId, long BuildingId, long? RoomId, string? RoomLabel,
        DateOnly MoveIn, DateOnly? MoveOut, ResidenceReason Reason, string? Employer,
        RegistrationStatus Status, RegistrationChannel Channel, bool Late, DateTimeOffset SubmittedAt,
        DateTimeOffset? ConfirmedAt, long? ConfirmedById, DateTimeOffset? VerifiedAt, long? VerifiedById,
        DateTimeOffset? RejectedAt, string? RejectionReason, DateTimeOffset? EndedAt);

    public override async Task WriteAsync(NpgsqlBinaryImporter writer, Row row, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid, cancellationToken);
        await writer.WriteAsync(row.Receipt, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.PersonId, NpgsqlDbType.Uuid, cancellationToken);
        await writer.WriteAsync(row.BuildingId, NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteNullableAsync(row.RoomId, cancellationToken);
        await writer.WriteNullableAsync(row.RoomLabel, cancellationToken);
        await writer.WriteAsync(row.MoveIn, NpgsqlDbType.Date, cancellationToken);
        await writer.WriteNullableAsync(row.MoveOut, NpgsqlDbType.Date, cancellationToken);
        await writer.WriteAsync(SnakeCaseEnum.ToCode(row.Reason), NpgsqlDbType.Text, cancellationToken);
        await writer.WriteNullableAsync(row.Employer, cancellationToken);
        await writer.WriteAsync(SnakeCaseEnum.ToCode(row.Status), NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(SnakeCaseEnum.ToCode(row.Channel), NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.Late, NpgsqlDbType.Boolean, cancellationToken);
        await writer.WriteAsync(row.SubmittedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await writer.WriteNullableAsync(row.ConfirmedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await writer.WriteNullableAsync(row.ConfirmedById, cancellationToken);
        await writer.WriteNullableAsync(row.VerifiedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await writer.WriteNullableAsync(row.VerifiedById, cancellationToken);
        await writer.WriteNullableAsync(row.RejectedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await writer.WriteNullableAsync(row.RejectionReason, cancellationToken);
        await writer.WriteNullableAsync(row.EndedAt, NpgsqlDbType.TimestampTz, cancellationToken);
    }
}
