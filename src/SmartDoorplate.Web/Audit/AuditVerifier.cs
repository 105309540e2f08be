using System.Globalization;
using Npgsql;

namespace SmartDoorplate.Audit;

public enum AuditChainFault
{
    HashMismatch,
    PreviousHashMismatch,
    Gap,
    UnknownLinkKey,
    CheckpointSignature,
    CheckpointHead,
    CheckpointMissing,
    CheckpointAltered,
    CutShort,
}

// Detail says which checkpoint or key, for the faults that involve one.
public sealed record AuditChainBreak(long EventId, DateTimeOffset At, string Action, AuditChainFault Fault, long? PreviousEventId, string? Detail = null)
{
    public override string ToString()
    {
        if (Fault == AuditChainFault.CutShort)
        {
            return EventId == 0
                ? $"audit chain cut short: no event is left, {Detail}"
                : $"audit chain cut short after event #{EventId} (at {Time(At)}, action {Action}): {Detail}";
        }
        var fault = Fault switch
        {
            AuditChainFault.HashMismatch => "hash mismatch",
            AuditChainFault.Gap when PreviousEventId is null => "gap (the events before it are missing)",
            AuditChainFault.Gap => $"gap (events after #{PreviousEventId} are missing)",
            AuditChainFault.PreviousHashMismatch when PreviousEventId is null => "previous-hash mismatch (the first event does not start from the genesis hash)",
            AuditChainFault.PreviousHashMismatch => $"previous-hash mismatch (does not chain onto event #{PreviousEventId})",
            _ => Detail,
        };
        return $"audit chain broken at event #{EventId} (at {Time(At)}, action {Action}): {fault}";
    }

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}

public sealed record AuditChainReport(long EventCount, AuditChainBreak? Break, long AwaitingSeal = 0, long CheckpointCount = 0, long EventsAfterNewestCheckpoint = 0)
{
    public bool Intact => Break is null;

    public override string ToString()
    {
        if (Break is not null) return Break.ToString();
        var text = $"audit chain intact: {EventCount} events, {CheckpointCount} signed checkpoint{(CheckpointCount == 1 ? "" : "s")}";
        if (EventsAfterNewestCheckpoint > 0) text += $" ({EventsAfterNewestCheckpoint} events after the newest)";
        if (AwaitingSeal > 0) text += $"; {AwaitingSeal} committed during the check await their seal";
        return text;
    }
}

// Seals what has been committed, then walks audit_events in chain order, recomputing each row's link
// with the app's keys and checking that it names the link of the row before it, and checks every
// checkpoint on the way: its signature, that it signs the link the walk recomputed at its position,
// and that the anchor's copy is in the database unchanged. One streamed query: a single snapshot,
// one row in memory at a time.
//
// What it shows: a changed row fails its own link, and a forger cannot recompute one without the link
// key; a deleted row breaks the next row's link (or leaves a gap in positions); deleting the newest
// rows leaves a chain shorter than the anchor's newest checkpoint (or the database's, if those were
// kept). Events after the newest anchored checkpoint are the ones that can still go unseen.
public static class AuditVerifier
{
    public static async Task<AuditChainReport> VerifyAsync(AuditChain chain, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await chain.SealAsync(dataSource, AuditCheckpointing.Never, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the walk, the checkpoints and the count of rows committed after the seal.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var database = await AuditSql.DatabaseNameAsync(connection, transaction, cancellationToken);
        var checkpoints = await AuditSql.CheckpointsAsync(connection, transaction, cancellationToken);
        var anchored = (await chain.Anchor.ReadAsync(database, cancellationToken)).ToLookup(l => l.ChainSeq);
        var walk = new Walk(chain.Keys, checkpoints, anchored);
        var chainBreak = await walk.RunAsync(connection, transaction, cancellationToken) ?? walk.CutShort();
        if (chainBreak is not null) return new AuditChainReport(walk.Count, chainBreak);
        var awaiting = await AuditSql.CountUnsealedAsync(connection, transaction, cancellationToken);
        var newest = checkpoints.Count == 0 ? 0 : checkpoints.Keys.Max();
        return new AuditChainReport(walk.Count, null, awaiting, checkpoints.Count, walk.LastSeq - newest);
    }

    private sealed class Walk(AuditKeys keys, Dictionary<long, AuditCheckpoint> checkpoints, ILookup<long, AuditAnchorLine> anchored)
    {
        private AuditEvent? last;
        private bool keyedSeen;

        public long Count { get; private set; }
        public long LastSeq => last?.ChainSeq ?? 0;

        public async Task<AuditChainBreak?> RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
        {
            await foreach (var row in AuditSql.ChainAsync(connection, transaction, cancellationToken))
            {
                var fault = CheckLink(row) ?? CheckCheckpoints(row);
                if (fault is not null) return fault;
                Count++;
                last = row;
            }
            return null;
        }

        private AuditChainBreak? CheckLink(AuditEvent row)
        {
            AuditChainBreak Fault(AuditChainFault fault, string? detail = null) => new(row.Id, row.At, row.Action, fault, last?.Id, detail);
            // The row's own link first: it covers the stored previous_hash too, so a row edited in any
            // field is named itself rather than its successor. The stored content digest is not
            // trusted: the digest is recomputed from the fields.
            if (row.Hash is null || row.PreviousHash is null) return Fault(AuditChainFault.HashMismatch);
            if (row.LinkKeyId is { } keyId)
            {
                var key = keys.LinkKey(keyId);
                if (key is null) return Fault(AuditChainFault.UnknownLinkKey, $"link key {keyId} is not configured (Audit:LinkKeys)");
                if (!AuditHash.ComputeLink(key, row.ChainSeq!.Value, row.PreviousHash, AuditHash.ComputeContent(row)).AsSpan().SequenceEqual(row.Hash))
                    return Fault(AuditChainFault.HashMismatch);
                keyedSeen = true;
            }
            // Unkeyed links come only from before keyed links existed: one after a keyed link is a
            // forger's, recomputed with plain SHA-256.
            else if (keyedSeen || !AuditHash.ComputeUnkeyed(row).AsSpan().SequenceEqual(row.Hash))
            {
                return Fault(AuditChainFault.HashMismatch);
            }
            if (row.PreviousHash.AsSpan().SequenceEqual(last?.Hash ?? AuditHash.Genesis)) return null;
            // A link that does not match across a jump in chain positions lost rows in between; across
            // consecutive positions, the row before was rewritten (link included).
            var consecutive = row.ChainSeq == LastSeq + 1;
            return Fault(consecutive ? AuditChainFault.PreviousHashMismatch : AuditChainFault.Gap);
        }

        private AuditChainBreak? CheckCheckpoints(AuditEvent row)
        {
            var seq = row.ChainSeq!.Value;
            AuditChainBreak Fault(AuditChainFault fault, string detail) => new(row.Id, row.At, row.Action, fault, last?.Id, detail);
            checkpoints.TryGetValue(seq, out var checkpoint);
            if (checkpoint is not null)
            {
                var message = AuditHash.CheckpointMessage(checkpoint.ChainSeq, checkpoint.HeadHash, checkpoint.At, checkpoint.LinkKeyId, checkpoint.SigningKeyId);
                if (!keys.Verify(checkpoint.SigningKeyId, message, checkpoint.Signature))
                    return Fault(AuditChainFault.CheckpointSignature, $"the signature of the checkpoint at chain position {seq} ({AuditChainBreak.Time(checkpoint.At)}, signing key {checkpoint.SigningKeyId}) does not verify");
                if (!checkpoint.HeadHash.AsSpan().SequenceEqual(row.Hash) || checkpoint.LinkKeyId != row.LinkKeyId)
                    return Fault(AuditChainFault.CheckpointHead, $"the checkpoint at chain position {seq} ({AuditChainBreak.Time(checkpoint.At)}) signed another link than this event's");
            }
            foreach (var line in anchored[seq])
            {
                if (checkpoint is null)
                    return Fault(AuditChainFault.CheckpointMissing, $"the anchor's checkpoint at chain position {seq} ({AuditChainBreak.Time(line.At)}) is missing from the database");
                if (!line.Matches(checkpoint))
                    return Fault(AuditChainFault.CheckpointAltered, $"the checkpoint at chain position {seq} differs from the anchor's copy");
            }
            return null;
        }

        // After a walk without fault: a checkpoint beyond the chain's end, in the anchor or the
        // database, means the newest events were deleted.
        public AuditChainBreak? CutShort()
        {
            var beyond = anchored.SelectMany(g => g).Where(l => l.ChainSeq > LastSeq)
                .Select(l => (l.ChainSeq, l.At, Where: "the anchor's"))
                .Concat(checkpoints.Values.Where(c => c.ChainSeq > LastSeq).Select(c => (c.ChainSeq, c.At, Where: "the database's")))
                .OrderByDescending(c => c.ChainSeq).ThenBy(c => c.Where == "the anchor's" ? 0 : 1)
                .Select(c => ((long, DateTimeOffset, string)?)c).FirstOrDefault();
            if (beyond is not { } newest) return null;
            var detail = $"{newest.Item3} checkpoint of {AuditChainBreak.Time(newest.Item2)} signs chain position {newest.Item1}, " +
                $"but the chain ends at position {LastSeq}: the events from position {LastSeq + 1} on are missing";
            return last is null
                ? new AuditChainBreak(0, default, "", AuditChainFault.CutShort, null, detail)
                : new AuditChainBreak(last.Id, last.At, last.Action, AuditChainFault.CutShort, null, detail);
        }
    }
}
