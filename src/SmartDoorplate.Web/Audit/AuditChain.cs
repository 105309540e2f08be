using Microsoft.Extensions.Options;
using Npgsql;

namespace SmartDoorplate.Audit;

// When a seal also signs the head: when the newest checkpoint is CheckpointEvery old, at once (at
// shutdown), or never (`audit verify`, which must judge the database as it finds it, not add to it).
public enum AuditCheckpointing { WhenDue, Now, Never }

public sealed class AuditSealOptions
{
    public const string Section = "Audit";

    // How long an event may wait for its link in the chain. Short, because until sealed a row is
    // protected by the app role's grants only, not yet by the chain.
    public TimeSpan SealEvery { get; set; } = TimeSpan.FromMilliseconds(500);

    // How often the head is signed into a checkpoint while events arrive: events after the newest
    // checkpoint are the ones a superuser could still remove unseen.
    public TimeSpan CheckpointEvery { get; set; } = TimeSpan.FromMinutes(1);

    // The anchor file (AuditAnchor), relative to the content root; .data/audit-anchor.jsonl if unset.
    public string AnchorPath { get; set; } = "";
}

// Links committed audit rows into the chain and signs its head (see AuditEvent). The links are
// computed here, because the key is the app's alone; the database function audit_seal_links() only
// writes them onto rows still awaiting their seal, checking that they continue the chain's head.
// One advisory lock orders the sealers, so any number of app instances may run this at once.
public sealed class AuditChain(NpgsqlDataSource dataSource, AuditKeys keys, AuditAnchor anchor, IOptions<AuditSealOptions> options, TimeProvider clock)
{
    private const int BatchSize = 5000;

    public AuditKeys Keys => keys;
    public AuditAnchor Anchor => anchor;

    public Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken) =>
        AuditVerifier.VerifyAsync(this, dataSource, cancellationToken);

    public Task<long> SealAsync(CancellationToken cancellationToken, AuditCheckpointing checkpointing = AuditCheckpointing.WhenDue) =>
        SealAsync(dataSource, checkpointing, cancellationToken);

    // Seals every row committed before the call and returns how many it sealed. A checkpoint follows
    // when the head has moved past the newest one and checkpointing says so.
    public async Task<long> SealAsync(NpgsqlDataSource source, AuditCheckpointing checkpointing, CancellationToken cancellationToken)
    {
        long total = 0;
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            AuditAnchorLine? anchored = null;
            int batch;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                await AuditSql.LockChainAsync(connection, transaction, cancellationToken);
                var head = await AuditSql.HeadAsync(connection, transaction, cancellationToken);
                var pending = await AuditSql.PendingAsync(connection, transaction, BatchSize, cancellationToken);
                batch = pending.Count;
                if (batch > 0)
                {
                    var links = new byte[batch][];
                    var previous = head.Hash;
                    for (var i = 0; i < batch; i++)
                    {
                        links[i] = AuditHash.ComputeLink(keys.ActiveLinkKey, head.Seq + 1 + i, previous, pending[i].Content);
                        previous = links[i];
                    }
                    await AuditSql.SealLinksAsync(connection, transaction, pending.Select(p => p.Id).ToArray(), links, keys.ActiveLinkKeyId,
                        head.Seq + 1, head.Hash, cancellationToken);
                    head = (head.Seq + batch, links[^1], keys.ActiveLinkKeyId);
                    total += batch;
                }
                if (batch < BatchSize && checkpointing != AuditCheckpointing.Never)
                    anchored = await CheckpointIfDueAsync(connection, transaction, head, checkpointing == AuditCheckpointing.Now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            // After the commit: an anchor line is only ever written for a checkpoint the database has.
            if (anchored is not null) await anchor.AppendAsync(anchored, CancellationToken.None);
            if (batch < BatchSize) return total;
        }
    }

    private async Task<AuditAnchorLine?> CheckpointIfDueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        (long Seq, byte[] Hash, short? LinkKeyId) head, bool checkpointNow, CancellationToken cancellationToken)
    {
        if (head.Seq == 0) return null;
        var (database, newestSeq, newestAt) = await AuditSql.NewestCheckpointAsync(connection, transaction, cancellationToken);
        var now = AuditHash.Truncate(clock.GetUtcNow());
        if (newestSeq >= head.Seq) return null;
        if (newestSeq is not null && !checkpointNow && now - newestAt < options.Value.CheckpointEvery) return null;

        var checkpoint = new AuditCheckpoint
        {
            ChainSeq = head.Seq,
            HeadHash = head.Hash,
            At = now,
            LinkKeyId = head.LinkKeyId,
            SigningKeyId = keys.SigningKeyId,
            Signature = [],
        };
        checkpoint.Signature = keys.Sign(AuditHash.CheckpointMessage(checkpoint.ChainSeq, checkpoint.HeadHash, checkpoint.At, checkpoint.LinkKeyId, checkpoint.SigningKeyId));
        await AuditSql.InsertCheckpointAsync(connection, transaction, checkpoint, cancellationToken);
        return AuditAnchorLine.From(database, checkpoint);
    }
}
