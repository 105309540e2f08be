using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates.Printing;

namespace SmartDoorplate.Doorplates;

public sealed record ReissuedDoorplate(long BuildingId, string Code, int Version, DateTimeOffset IssuedAt, string? PreviousCode);

public static class DoorplateIssuing
{
    // Gives every listed building that has no current plate its first (or next) one. Safe to run
    // concurrently with itself: the partial unique index keeps one current plate per building and
    // a building that got one meanwhile is skipped (on conflict do nothing).
    public static async Task<int> IssueMissingAsync(SmartDoorplateDb db, AuditTrail audit, IQueryable<long> buildingIds, CancellationToken ct)
    {
        var missing = await buildingIds
            .Where(id => !db.Doorplates.Any(d => d.BuildingId == id && d.RevokedAt == null))
            .ToArrayAsync(ct);
        if (missing.Length == 0) return 0;
        var codes = missing.Select(_ => DoorplateCode.New()).ToArray();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var issued = await DoorplatesSql.InsertPlatesAsync(db, missing, codes, ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.DoorplatesIssued, "building", null, null, new { count = issued, buildings = missing }), ct);
        await transaction.CommitAsync(ct);
        return issued;
    }

    // Revokes the building's current plate (a stolen, copied or damaged plate stops working) and
    // issues the next version with a new code, in one transaction with its audit row. Scope is the
    // caller's: a building outside it is not found.
    public static async Task<ReissuedDoorplate?> ReissueAsync(
        SmartDoorplateDb db, AuditTrail audit, TimeProvider clock, long buildingId, string? reason, CancellationToken ct)
    {
        if (!await db.Buildings.AnyAsync(b => b.Id == buildingId, ct)) return null;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Serialises reissues of one building, so two at once cannot both read the same version.
        await DoorplatesSql.LockBuildingAsync(db, buildingId, ct);
        var plates = db.Doorplates.IgnoreQueryFilters().Where(d => d.BuildingId == buildingId);
        var previous = await plates.Where(d => d.RevokedAt == null).Select(d => new { d.Code, d.Version }).FirstOrDefaultAsync(ct);
        var lastVersion = await plates.MaxAsync(d => (int?)d.Version, ct) ?? 0;
        var now = clock.GetUtcNow();

        // Revoke first and apart: the partial unique index allows only one current plate at any moment.
        await plates.Where(d => d.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, now), ct);
        var plate = new Doorplate { BuildingId = buildingId, Code = DoorplateCode.New(), Version = lastVersion + 1, IssuedAt = now };
        db.Doorplates.Add(plate);
        await db.SaveChangesAsync(ct);

        await audit.AppendAsync(new AuditEntry(AuditActions.DoorplateReissued, "building", buildingId.ToString(System.Globalization.CultureInfo.InvariantCulture), reason,
            new { previousCode = previous?.Code, previousVersion = previous?.Version, code = plate.Code, version = plate.Version }), ct);
        await transaction.CommitAsync(ct);
        return new ReissuedDoorplate(buildingId, plate.Code, plate.Version, plate.IssuedAt, previous?.Code);
    }

    // What each plate shows. Callers choose the plates, and whether the caller's scope applies.
    public static IQueryable<PlateFace> Faces(IQueryable<Doorplate> plates) =>
        plates.Select(d => new PlateFace(
            d.Code, d.Version, d.RevokedAt != null, d.BuildingId, d.Building!.Code,
            d.Building.Grid!.Station!.District!.Name, d.Building.Address!.Street, d.Building.Address.Community,
            d.Building.Address.Road, d.Building.Address.Number, d.Building.Address.FullText,
            d.Building.Grid.Station.Name, d.Building.Grid.Station.Hotline));
}
