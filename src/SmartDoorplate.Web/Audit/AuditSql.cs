using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Data;

namespace SmartDoorplate.Audit;

// Every SQL statement of the audit trail, in one place. They stay SQL because EF cannot say them: the
// chain's advisory lock, the SECURITY DEFINER function audit_seal_links(), reads in chain order on the
// sealer's own connection and transaction (the sealer and verifier run outside any DbContext), an
// insert that must not save the caller's pending changes, and a row lock. AuditSqlTests pins the plans
// of the chain reads; AuditChainTests, AuditCheckpointTests and RetentionTests what they do.
public static class AuditSql
{
    // pg_advisory_xact_lock key of the chain, shared with audit_seal_links().
    public const long ChainLock = 402130041930;

    public const string Pending = "select id, content_hash from audit_events where chain_seq is null order by id limit $1";

    public const string Head = "select chain_seq, hash, link_key_id from audit_events where chain_seq is not null order by chain_seq desc limit 1";

    public const string Chain = """
        select id, at, actor_user_id, actor_name, actor_role, actor_organisation, action,
               target_type, target_id, purpose, client_address, details::text, previous_hash, hash, content_hash, chain_seq, link_key_id
        from audit_events
        where chain_seq is not null
        order by chain_seq
        """;

    public const string NewestCheckpoint = """
        select current_database(), c.chain_seq, c.at
        from (select 1) one
        left join lateral (select chain_seq, at from audit_checkpoints order by chain_seq desc limit 1) c on true
        """;

    public static async Task LockChainAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ChainLock });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Rows committed but not yet linked, oldest first.
    public static async Task<List<(long Id, byte[] Content)>> PendingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Pending, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var pending = new List<(long Id, byte[] Content)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) pending.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        return pending;
    }

    public static async Task SealLinksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long[] ids, byte[][] links,
        short linkKeyId, long firstSeq, byte[] previousHash, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select audit_seal_links($1, $2, $3, $4, $5)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = links, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = linkKeyId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = firstSeq });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = previousHash });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // The newest sealed row; the genesis hash at position 0 when none is sealed.
    public static async Task<(long Seq, byte[] Hash, short? LinkKeyId)> HeadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Head, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetInt16(2))
            : (0, AuditHash.Genesis, null);
    }

    public static async Task<(string Database, long? Seq, DateTimeOffset At)> NewestCheckpointAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(NewestCheckpoint, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(1)
            ? (reader.GetString(0), null, default)
            : (reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2));
    }

    public static async Task InsertCheckpointAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditCheckpoint checkpoint,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            insert into audit_checkpoints (chain_seq, head_hash, at, link_key_id, signing_key_id, signature)
            values ($1, $2, $3, $4, $5, $6)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checkpoint.ChainSeq });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = checkpoint.HeadHash });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = checkpoint.At });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)checkpoint.LinkKeyId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = checkpoint.SigningKeyId });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = checkpoint.Signature });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<string> DatabaseNameAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select current_database()", connection, transaction);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<long> CountUnsealedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select count(*) from audit_events where chain_seq is null", connection, transaction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // Every checkpoint, by the chain position it signs.
    public static async Task<Dictionary<long, AuditCheckpoint>> CheckpointsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select id, chain_seq, head_hash, at, link_key_id, signing_key_id, signature from audit_checkpoints", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<long, AuditCheckpoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var checkpoint = new AuditCheckpoint
            {
                Id = reader.GetInt64(0),
                ChainSeq = reader.GetInt64(1),
                HeadHash = reader.GetFieldValue<byte[]>(2),
                At = reader.GetFieldValue<DateTimeOffset>(3),
                LinkKeyId = reader.IsDBNull(4) ? null : reader.GetInt16(4),
                SigningKeyId = reader.GetInt16(5),
                Signature = reader.GetFieldValue<byte[]>(6),
            };
            result[checkpoint.ChainSeq] = checkpoint;
        }
        return result;
    }

    // The sealed rows in chain order, streamed: one row in memory at a time.
    public static async IAsyncEnumerable<AuditEvent> ChainAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Chain, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new AuditEvent
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
                LinkKeyId = reader.IsDBNull(16) ? null : reader.GetInt16(16),
            };
        }
    }

    // In the caller's transaction, without SaveChanges: the caller's pending changes are theirs to save.
    public static Task InsertEventAsync(SmartDoorplateDb db, AuditEvent row, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            insert into audit_events (at, actor_user_id, actor_name, actor_role, actor_organisation, action,
                target_type, target_id, purpose, client_address, details, content_hash)
            values ({row.At}, {row.ActorUserId}, {row.ActorName}, {row.ActorRole}, {row.ActorOrganisation}, {row.Action},
                {row.TargetType}, {row.TargetId}, {row.Purpose}, {row.ClientAddress}, {row.Details}::jsonb, {row.ContentHash})
            """, cancellationToken);

    // FOR UPDATE on persons, which EF cannot say: retention holds them until it commits.
    public static Task LockPersonsAsync(SmartDoorplateDb db, Guid[] ids, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"select 1 from persons where id = any({ids}) for update", cancellationToken);

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
