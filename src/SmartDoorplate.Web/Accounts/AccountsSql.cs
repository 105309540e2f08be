using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmartDoorplate.Data;

namespace SmartDoorplate.Accounts;

// Every SQL statement of the accounts, in one place. They stay SQL because EF cannot say them: upserts
// (ON CONFLICT) that count or keep what is there in one statement, so that concurrent requests from
// several instances all count; a stamp taken from the database clock as the account trigger takes it;
// and the per-request look-up, one round trip on the data source outside any DbContext. AccountsSqlTests
// pins their results and the look-up's plan.
public static class AccountsSql
{
    public const string State = """
        select u.role, u.station_id, u.district_id, u.disabled_at is not null, u.sessions_since,
               exists (select 1 from ended_sessions e where e.session_id = $2)
        from (select $1 as id) wanted left join users u on u.id = wanted.id
        """;

    // The account (null if there is none) and whether the session was signed out.
    public static async Task<(AccountAccess.AccountState? Account, bool Ended)> StateAsync(NpgsqlDataSource dataSource, long userId, string sessionId,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(State);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sessionId });
        AccountAccess.AccountState? account = null;
        var ended = true;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0))
            {
                account = new AccountAccess.AccountState(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetBoolean(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
            }
            ended = reader.GetBoolean(5);
        }
        return (account, ended);
    }

    // A session signed out twice is recorded once.
    public static Task<int> InsertEndedSessionAsync(SmartDoorplateDb db, string sessionId, long userId, DateTimeOffset endedAt, DateTimeOffset expiresAt,
        CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            insert into ended_sessions (session_id, user_id, ended_at, expires_at)
            values ({sessionId}, {userId}, {endedAt}, {expiresAt})
            on conflict (session_id) do nothing
            """, ct);

    // users.sessions_since, stamped as the database stamps it when the account changes (migration
    // AccountChangeNotices, whose trigger also notifies the other processes). Rows changed: 0 or 1.
    public static Task<int> StampSessionsSinceAsync(SmartDoorplateDb db, long userId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(
            $"update users set sessions_since = date_trunc('second', now()) + interval '1 second' where id = {userId}", ct);

    // One more failure for this name from this address (1 again once the last is ForgetAfter old);
    // returns the count after it.
    public static async Task<int> CountSignInFailureAsync(SmartDoorplateDb db, byte[] nameIndex, string address, DateTimeOffset now,
        DateTimeOffset forgetBefore, CancellationToken ct)
    {
        var failures = await db.Database.SqlQuery<int>($"""
            insert into sign_in_failures (user_name_index, client_address, failures, last_failed_at) values ({nameIndex}, {address}, 1, {now})
            on conflict (user_name_index, client_address) do update set
                failures = case when sign_in_failures.last_failed_at <= {forgetBefore} then 1 else sign_in_failures.failures + 1 end,
                last_failed_at = {now}
            returning failures as "Value"
            """).ToListAsync(ct);
        return failures.Single();
    }

    // A password already set is never overwritten; an account of the same name and role without a
    // password gets this one. Rows written: 0 or 1.
    public static async Task<int> UpsertDemoAccountAsync(NpgsqlConnection connection, string userName, string displayName, Role role,
        string passwordHash, string? stationCode, byte[]? contactPhoneCipher, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            insert into users (user_name, display_name, role, password_hash, station_id, failed_sign_ins, contact_phone_cipher)
            values (@userName, @displayName, @role, @passwordHash,
                    (select id from police_stations where code = @stationCode), 0, @contactPhoneCipher)
            on conflict (user_name) do update
                set password_hash = excluded.password_hash, display_name = excluded.display_name,
                    contact_phone_cipher = coalesce(users.contact_phone_cipher, excluded.contact_phone_cipher)
                where users.password_hash is null and users.role = excluded.role
            """, connection);
        command.Parameters.AddWithValue("userName", userName);
        command.Parameters.AddWithValue("displayName", displayName);
        command.Parameters.AddWithValue("role", SnakeCaseEnum.ToCode(role));
        command.Parameters.AddWithValue("passwordHash", passwordHash);
        command.Parameters.Add(new NpgsqlParameter("stationCode", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)stationCode ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("contactPhoneCipher", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)contactPhoneCipher ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
