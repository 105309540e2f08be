using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;

namespace SmartDoorplate.Doorplates;

// The SQL of issuing plates, in one place. It stays SQL because EF cannot say it: an insert of many
// plates from arrays that skips buildings which got one meanwhile (ON CONFLICT DO NOTHING), and a row
// lock. ReissueTests pins their results (two reissues at once leave exactly one current plate), and
// PrintSheetTests the plates issued before printing.
public static class DoorplatesSql
{
    // Each building its next version with its code; a building that has a current plate by now is
    // skipped by the partial unique index. Returns the plates written.
    public static Task<int> InsertPlatesAsync(SmartDoorplateDb db, long[] buildingIds, string[] codes, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            insert into doorplates (building_id, code, version)
            select n.building_id, n.code, coalesce((select max(d.version) from doorplates d where d.building_id = n.building_id), 0) + 1
            from unnest({buildingIds}::bigint[], {codes}::text[]) as n(building_id, code)
            on conflict do nothing
            """, ct);

    // NO KEY UPDATE: registrations that reference the building may still be written meanwhile.
    public static Task LockBuildingAsync(SmartDoorplateDb db, long buildingId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"select id from buildings where id = {buildingId} for no key update", ct);
}
