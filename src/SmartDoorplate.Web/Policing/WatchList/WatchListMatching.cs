using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Policing.WatchList;

// Finding the watch list's people among the registrations: one set-based statement, narrowed to one
// registration (a new submission, inside its transaction), one upload (the registrations that exist
// when a list comes in) or nothing (after a bulk import). The unique (entry_id, registration_id)
// index with `on conflict do nothing` is what makes "exactly one alert" hold however often, and
// however concurrently, the same match is found. Only open registrations (submitted, confirmed,
// verified) match: a person who moved out or was rejected is not at that building.
public static class WatchListMatching
{
    private static readonly string[] OpenStatuses =
        [.. new[] { RegistrationStatus.Submitted, RegistrationStatus.Confirmed, RegistrationStatus.Verified }.Select(SnakeCaseEnum.ToCode)];

    // Held exclusively while a list is stored and matched, shared by every registration's matching:
    // without it an upload and a registration committing at the same moment would each miss the
    // other's uncommitted row, and that match would raise no alert at all. Registrations do not wait
    // for each other (shared), only for an upload in progress. It is the only advisory lock a request
    // transaction takes (the audit chain's is the sealer's alone), so no two locks wait on each other in a circle.
    public const long MatchingLockKey = 0x5D_0A7C_4115;

    private static readonly string Raised = SnakeCaseEnum.ToCode(WatchAlertStatus.Raised);

    // {0} is one of the fixed filters below, never input. For one registration the plan is index
    // look-ups only: the registration by id, its person by id, the entry by the partial unique index.
    private const string InsertAlertsSql = """
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

    public static readonly string ForRegistrationSql = string.Format(System.Globalization.CultureInfo.InvariantCulture, InsertAlertsSql, "r.id = @registration");
    public static readonly string ForUploadSql = string.Format(System.Globalization.CultureInfo.InvariantCulture, InsertAlertsSql, "e.upload_id = @upload");
    public static readonly string ForAllSql = string.Format(System.Globalization.CultureInfo.InvariantCulture, InsertAlertsSql, "true");

    // Runs on the context's connection, inside the transaction the caller has begun; the shared lock
    // and the insert go in one round trip (two statements, each with its own snapshot).
    public static Task<List<long>> RaiseForRegistrationAsync(SmartDoorplateDb db, Guid registrationId, DateTimeOffset now, CancellationToken ct) =>
        RunAsync(Connection(db), ForRegistrationSql, sharedLock: true, now, ct, new NpgsqlParameter("registration", NpgsqlDbType.Uuid) { Value = registrationId });

    // Before an upload stores its entries: waits for registrations being matched right now.
    public static async Task LockForUploadAsync(SmartDoorplateDb db, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock({MatchingLockKey})", ct);

    public static Task<List<long>> RaiseForUploadAsync(SmartDoorplateDb db, Guid uploadId, DateTimeOffset now, CancellationToken ct) =>
        RunAsync(Connection(db), ForUploadSql, sharedLock: false, now, ct, new NpgsqlParameter("upload", NpgsqlDbType.Uuid) { Value = uploadId });

    // After a bulk import (binary COPY on the importer's own connection and transaction).
    public static Task<List<long>> RaiseForAllAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct) =>
        RunAsync(connection, ForAllSql, sharedLock: true, now, ct);

    // One audit row per alert raised by a registration (rare: most registrations match nothing).
    public static IEnumerable<AuditEntry> RaisedAudit(IEnumerable<long> alertIds, ResidenceRegistration registration) =>
        alertIds.Select(id => new AuditEntry(AuditActions.WatchAlertRaised, AuditTargets.WatchAlert,
            id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Details: new { person = registration.PersonId, registration = registration.Id, building = registration.BuildingId }));

    private static NpgsqlConnection Connection(SmartDoorplateDb db)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Watch-list matching runs inside the caller's transaction, with the rows it matches.");
        return (NpgsqlConnection)db.Database.GetDbConnection();
    }

    private static async Task<List<long>> RunAsync(
        NpgsqlConnection connection, string sql, bool sharedLock, DateTimeOffset now, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        // Npgsql runs a command inside the connection's open transaction whether or not it is named.
        var text = sharedLock
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"select pg_advisory_xact_lock_shared({MatchingLockKey});\n{sql}")
            : sql;
        await using var command = new NpgsqlCommand(text, connection);
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("raised", NpgsqlDbType.Varchar) { Value = Raised });
        command.Parameters.Add(new NpgsqlParameter("open", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = OpenStatuses });
        command.Parameters.AddRange(parameters);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.Default, ct);
        if (sharedLock) await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return ids;
    }
}
