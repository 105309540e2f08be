using System.Globalization;
using Npgsql;

namespace SmartDoorplate.Audit;

public enum AuditChainFault { HashMismatch, PreviousHashMismatch, Gap }

public sealed record AuditChainBreak(long EventId, DateTimeOffset At, string Action, AuditChainFault Fault, long? PreviousEventId)
{
    public override string ToString()
    {
        var fault = Fault switch
        {
            AuditChainFault.HashMismatch => "hash mismatch",
            AuditChainFault.Gap when PreviousEventId is null => "gap (the events before it are missing)",
            AuditChainFault.Gap => $"gap (events after #{PreviousEventId} are missing)",
            _ when PreviousEventId is null => "previous-hash mismatch (the first event does not start from the genesis hash)",
            _ => $"previous-hash mismatch (does not chain onto event #{PreviousEventId})",
        };
        return $"audit chain broken at event #{EventId} (at {At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)}, action {Action}): {fault}";
    }
}

public sealed record AuditChainReport(long EventCount, AuditChainBreak? Break)
{
    public bool Intact => Break is null;

    public override string ToString() => Break?.ToString() ?? $"audit chain intact: {EventCount} events";
}

// Walks audit_events in id order, recomputing each row's hash and checking that it names the hash of
// the row before it. One streamed query: a single snapshot, one row in memory at a time.
//
// What a chain can and cannot show: a changed row fails its own hash (or, if the forger also rewrote
// the hash, the next row's link); a deleted row breaks the next row's link. Deleting the newest rows
// leaves a shorter chain that is still valid — only a head hash kept outside the database would show
// that. Ids are not required to be consecutive: identity values of rolled-back appends are skipped.
public static class AuditVerifier
{
    public static async Task<AuditChainReport> VerifyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select id, at, actor_user_id, actor_name, actor_role, actor_organisation, action,
                   target_type, target_id, purpose, client_address, details::text, previous_hash, hash
            from audit_events
            order by id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long count = 0;
        long? previousId = null;
        var previousHash = AuditHash.Genesis;
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new AuditEvent
            {
                Id = reader.GetInt64(0),
                At = reader.GetFieldValue<DateTimeOffset>(1),
                ActorUserId = reader.IsDBNull(2) ? null : reader.GetInt64(2),
                ActorName = NullableString(reader, 3),
                ActorRole = NullableString(reader, 4),
                ActorOrganisation = NullableString(reader, 5),
                Action = reader.GetString(6),
                TargetType = NullableString(reader, 7),
                TargetId = NullableString(reader, 8),
                Purpose = NullableString(reader, 9),
                ClientAddress = NullableString(reader, 10),
                Details = NullableString(reader, 11),
                PreviousHash = reader.GetFieldValue<byte[]>(12),
                Hash = reader.GetFieldValue<byte[]>(13),
            };
            var fault = Check(row, previousId, previousHash);
            if (fault is not null)
            {
                return new AuditChainReport(count, new AuditChainBreak(row.Id, row.At, row.Action, fault.Value, previousId));
            }
            count++;
            previousId = row.Id;
            previousHash = row.Hash;
        }
        return new AuditChainReport(count, null);
    }

    private static AuditChainFault? Check(AuditEvent row, long? previousId, byte[] previousHash)
    {
        // The row's own hash first: it covers the stored previous_hash too, so a row edited in any
        // field is named itself rather than its successor.
        if (!AuditHash.Compute(row).AsSpan().SequenceEqual(row.Hash)) return AuditChainFault.HashMismatch;
        if (row.PreviousHash.AsSpan().SequenceEqual(previousHash)) return null;
        // A link that does not match across a jump in ids most likely lost rows in between; across
        // consecutive ids, the row before was rewritten (hash included).
        var consecutive = previousId is null ? row.Id == 1 : row.Id == previousId + 1;
        return consecutive ? AuditChainFault.PreviousHashMismatch : AuditChainFault.Gap;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
