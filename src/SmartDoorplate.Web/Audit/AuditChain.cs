using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

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
    // pg_advisory_xact_lock key of the chain, shared with audit_seal_links().
    private const long ChainLock = 402130041930;

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
                await using (var lockChain = new NpgsqlCommand("select pg_advisory_xact_lock($1)", connection, transaction))
                {
                    lockChain.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ChainLock });
                    await lockChain.ExecuteNonQueryAsync(cancellationToken);
                }
                var head = await HeadAsync(connection, transaction, cancellationToken);
                var pending = new List<(long Id, byte[] Content)>();
                await using (var read = new NpgsqlCommand(
                    "select id, content_hash from audit_events where chain_seq is null order by id limit $1", connection, transaction))
                {
                    read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
                    await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken)) pending.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
                }
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
                    await using var seal = new NpgsqlCommand("select audit_seal_links($1, $2, $3, $4, $5)", connection, transaction);
                    seal.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = pending.Select(p => p.Id).ToArray() });
                    seal.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = links, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                    seal.Parameters.Add(new NpgsqlParameter<short> { TypedValue = keys.ActiveLinkKeyId });
                    seal.Parameters.Add(new NpgsqlParameter<long> { TypedValue = head.Seq + 1 });
                    seal.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = head.Hash });
                    await seal.ExecuteNonQueryAsync(cancellationToken);
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

    private static async Task<(long Seq, byte[] Hash, short? LinkKeyId)> HeadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select chain_seq, hash, link_key_id from audit_events where chain_seq is not null order by chain_seq desc limit 1", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetInt16(2))
            : (0, AuditHash.Genesis, null);
    }

    private async Task<AuditAnchorLine?> CheckpointIfDueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        (long Seq, byte[] Hash, short? LinkKeyId) head, bool checkpointNow, CancellationToken cancellationToken)
    {
        if (head.Seq == 0) return null;
        string database;
        long? newestSeq = null;
        DateTimeOffset newestAt = default;
        await using (var newest = new NpgsqlCommand("""
            select current_database(), c.chain_seq, c.at
            from (select 1) one
            left join lateral (select chain_seq, at from audit_checkpoints order by chain_seq desc limit 1) c on true
            """, connection, transaction))
        await using (var reader = await newest.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            database = reader.GetString(0);
            if (!reader.IsDBNull(1))
            {
                newestSeq = reader.GetInt64(1);
                newestAt = reader.GetFieldValue<DateTimeOffset>(2);
            }
        }
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
        await using var insert = new NpgsqlCommand("""
            insert into audit_checkpoints (chain_seq, head_hash, at, link_key_id, signing_key_id, signature)
            values ($1, $2, $3, $4, $5, $6)
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checkpoint.ChainSeq });
        insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = checkpoint.HeadHash });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = checkpoint.At });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)checkpoint.LinkKeyId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = checkpoint.SigningKeyId });
        insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = checkpoint.Signature });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return AuditAnchorLine.From(database, checkpoint);
    }
}
