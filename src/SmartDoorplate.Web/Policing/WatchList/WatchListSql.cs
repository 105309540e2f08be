using System.Data;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing.WatchList;

// The watch list's statements that stay SQL: the upload's insert over arrays, the alert insert with
// `on conflict do nothing`, and the advisory lock between uploads and matching. Parameterised; the
// plan of the one a registration pays for is pinned by MatchingANewRegistrationUsesIndexesOnly.
public static class WatchListSql
{
    // Held exclusively while a list is stored and matched, shared by every registration's matching:
    // without it an upload and a registration committing at the same moment would each miss the
    // other's uncommitted row, and that match would raise no alert at all. Registrations do not wait
    // for each other (shared), only for an upload in progress. It is the only advisory lock a request
    // transaction takes (the audit chain's is the sealer's alone), so no two locks wait on each other in a circle.
    public const long MatchingLockKey = 0x5D_0A7C_4115;

    // {0} is one of the fixed filters below, never input. For one registration the plan is index
    // look-ups only: the registration by id, its person by id, the entry by the partial unique index.
    private const string InsertAlerts = """
        insert into watch_alerts (entry_id, registration_id, person_id, building_id, station_id, raised_at, status)
        select e.id, r.id, r.person_id, r.building_id, g.station_id, @now, @raised
        from residence_registrations r
        join persons p on p.id = r.person_id
        join watch_entries e on e.id_number_index = p.id_number_index and e.removed_at is null
        join buildings b on b.id = r.building_id
        join community_grids g on g.id = b.grid_id
        where r.status = any(@open) and {0}
        on conflict (entry_id, registration_id) do nothing
        returning id
        """;

    public static readonly string AlertsForRegistration = string.Format(CultureInfo.InvariantCulture, InsertAlerts, "r.id = @registration");
    public static readonly string AlertsForUpload = string.Format(CultureInfo.InvariantCulture, InsertAlerts, "e.upload_id = @upload");
    public static readonly string AlertsForAll = string.Format(CultureInfo.InvariantCulture, InsertAlerts, "true");

    private const string LockShared = "select pg_advisory_xact_lock_shared(@lock);";

    private const string LockExclusive = "select pg_advisory_xact_lock({0})";

    // One statement for the whole file; a number already listed (and not removed) is skipped by the
    // partial unique index, also when two uploads carry it at once.
    private const string InsertEntries = """
        insert into watch_entries (id_number_index, reference, reason, upload_id, added_by_id, added_at)
        select t.id_index, t.reference, t.reason, @upload, @by, @now
        from unnest(@indexes, @references, @reasons) as t(id_index, reference, reason)
        on conflict (id_number_index) where removed_at is null do nothing
        """;

    public static async Task LockExclusiveAsync(SmartDoorplateDb db, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync(LockExclusive, [MatchingLockKey], ct);

    public static async Task<int> InsertEntriesAsync(
        NpgsqlConnection connection, byte[][] indexes, string?[] references, string?[] reasons, Guid uploadId, long userId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(InsertEntries, connection);
        command.Parameters.Add(new NpgsqlParameter("upload", NpgsqlDbType.Uuid) { Value = uploadId });
        command.Parameters.Add(new NpgsqlParameter("by", NpgsqlDbType.Bigint) { Value = userId });
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("indexes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = indexes });
        command.Parameters.Add(new NpgsqlParameter("references", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = references });
        command.Parameters.Add(new NpgsqlParameter("reasons", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = reasons });
        return await command.ExecuteNonQueryAsync(ct);
    }

    // Npgsql runs a command inside the connection's open transaction whether or not it is named. With
    // the shared lock, lock and insert go in one round trip (two statements, each with its own snapshot).
    public static async Task<List<long>> InsertAlertsAsync(
        NpgsqlConnection connection, string sql, bool sharedLock, DateTimeOffset now, string raised, string[] openStatuses,
        CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sharedLock ? LockShared + "\n" + sql : sql, connection);
        if (sharedLock) command.Parameters.Add(new NpgsqlParameter("lock", NpgsqlDbType.Bigint) { Value = MatchingLockKey });
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("raised", NpgsqlDbType.Varchar) { Value = raised });
        command.Parameters.Add(new NpgsqlParameter("open", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = openStatuses });
        command.Parameters.AddRange(parameters);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.Default, ct);
        if (sharedLock) await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return ids;
    }
}
