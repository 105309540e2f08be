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

    private static readonly string Raised = SnakeCaseEnum.ToCode(WatchAlertStatus.Raised);

    // Runs on the context's connection, inside the transaction the caller has begun, under the shared
    // matching lock (WatchListSql.MatchingLockKey).
    public static Task<List<long>> RaiseForRegistrationAsync(SmartDoorplateDb db, Guid registrationId, DateTimeOffset now, CancellationToken ct) =>
        WatchListSql.InsertAlertsAsync(Connection(db), WatchListSql.AlertsForRegistration, sharedLock: true, now, Raised, OpenStatuses, ct, new NpgsqlParameter("registration", NpgsqlDbType.Uuid) { Value = registrationId });

    // Before an upload stores its entries: waits for registrations being matched right now.
    public static Task LockForUploadAsync(SmartDoorplateDb db, CancellationToken ct) => WatchListSql.LockExclusiveAsync(db, ct);

    public static Task<List<long>> RaiseForUploadAsync(SmartDoorplateDb db, Guid uploadId, DateTimeOffset now, CancellationToken ct) =>
        WatchListSql.InsertAlertsAsync(Connection(db), WatchListSql.AlertsForUpload, sharedLock: false, now, Raised, OpenStatuses, ct, new NpgsqlParameter("upload", NpgsqlDbType.Uuid) { Value = uploadId });

    // After a bulk import (binary COPY on the importer's own connection and transaction).
    public static Task<List<long>> RaiseForAllAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct) =>
        WatchListSql.InsertAlertsAsync(connection, WatchListSql.AlertsForAll, sharedLock: true, now, Raised, OpenStatuses, ct);

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
}
