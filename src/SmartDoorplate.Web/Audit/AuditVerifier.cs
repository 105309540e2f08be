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

public sealed record AuditChainReport(long EventCount, AuditChainBreak? Break, long AwaitingSeal = 0)
{
    public bool Intact => Break is null;

    public override string ToString() => Break?.ToString()
        ?? (AwaitingSeal == 0 ? $"audit chain intact: {EventCount} events" : $"audit chain intact: {EventCount} events ({AwaitingSeal} committed during the check await their seal)");
}

// Seals what has been committed, then walks audit_events in chain order, recomputing each row's hash
// and checking that it names the hash of the row before it. One streamed query: a single snapshot,
// one row in memory at a time.
//
// What a chain can and cannot show: a changed row fails its own hash (or, if the forger also rewrote
// the hash, the next row's link); a deleted row breaks the next row's link. Deleting the newest rows
// leaves a shorter chain that is still valid — only a head hash kept outside the database would show
// that. Chain positions (chain_seq) are consecutive by construction, so a missing one is a gap; ids
// are not (identity values of rolled-back appends are skipped, and rows are sealed in commit order).
public static class AuditVerifier
{
    public static async Task<AuditChainReport> VerifyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await AuditSeal.SealAsync(dataSource, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the walk and for the count of rows committed after the seal.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var (count, chainBreak) = await WalkAsync(connection, transaction, cancellationToken);
        if (chainBreak is not null) return new AuditChainReport(count, chainBreak);
        await using var unsealed = new NpgsqlCommand("select count(*) from audit_events where chain_seq is null", connection, transaction);
        return new AuditChainReport(count, null, (long)(await unsealed.ExecuteScalarAsync(cancellationToken))!);
    }

    private static async Task<(long Count, AuditChainBreak? Break)> WalkAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select id, at, actor_user_id, actor_name, actor_role, actor_organisation, action,
                   target_type, target_id, purpose, client_address, details::text, previous_hash, hash, content_hash, chain_seq
            from audit_events
            where chain_seq is not null
            order by chain_seq
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long count = 0;
        long? previousId = null;
        long? previousSeq = null;
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
                PreviousHash = reader.IsDBNull(12) ? null : reader.GetFieldValue<byte[]>(12),
                Hash = reader.IsDBNull(13) ? null : reader.GetFieldValue<byte[]>(13),
                ContentHash = reader.IsDBNull(14) ? null : reader.GetFieldValue<byte[]>(14),
                ChainSeq = reader.GetInt64(15),
            };
            var fault = Check(row, previousSeq, previousHash);
            if (fault is not null)
            {
                return (count, new AuditChainBreak(row.Id, row.At, row.Action, fault.Value, previousId));
            }
            count++;
            previousId = row.Id;
            previousSeq = row.ChainSeq;
            previousHash = row.Hash!;
        }
        return (count, null);
    }

    private static AuditChainFault? Check(AuditEvent row, long? previousSeq, byte[] previousHash)
    {
        // The row's own hash first: it covers the stored previous_hash too, so a row edited in any
        // field is named itself rather than its successor. The stored content digest is not trusted:
        // the digest is recomputed from the fields.
        if (row.Hash is null || row.PreviousHash is null || !AuditHash.Compute(row).AsSpan().SequenceEqual(row.Hash))
            return AuditChainFault.HashMismatch;
        if (row.PreviousHash.AsSpan().SequenceEqual(previousHash)) return null;
        // A link that does not match across a jump in chain positions lost rows in between; across
        // consecutive positions, the row before was rewritten (hash included).
        var consecutive = previousSeq is null ? row.ChainSeq == 1 : row.ChainSeq == previousSeq + 1;
        return consecutive ? AuditChainFault.PreviousHashMismatch : AuditChainFault.Gap;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
