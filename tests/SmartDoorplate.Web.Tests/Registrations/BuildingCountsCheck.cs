using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Web.Tests.Registrations;

// building_counts against a count made now from the LINQ definitions (CurrentResidents.IsCurrent,
// floating = origin outside Guiyang, pending = submitted), over every building: "id: stored ≠ live";
// and each row's copy of its building's entrance cell and grid (migration BuildingCountCells).
public static class BuildingCountsCheck
{
    public static async Task<IReadOnlyList<string>> MismatchesAsync(SmartDoorplateDb db)
    {
        var current = await db.Registrations.IgnoreQueryFilters().Where(CurrentResidents.IsCurrent)
            .GroupBy(r => r.BuildingId)
            .Select(g => new { BuildingId = g.Key, Residents = g.Count(), Floating = g.Count(r => !r.Person!.OriginRegionCode.StartsWith(CurrentResidents.LocalRegionPrefix)) })
            .ToDictionaryAsync(g => g.BuildingId);
        var pending = await db.Registrations.IgnoreQueryFilters().Where(r => r.Status == RegistrationStatus.Submitted)
            .GroupBy(r => r.BuildingId).Select(g => new { BuildingId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.BuildingId, g => g.Count);
        var stored = await db.BuildingCounts.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(c => c.BuildingId);

        var mismatches = new List<string>();
        foreach (var id in current.Keys.Concat(pending.Keys).Concat(stored.Keys).Distinct().Order())
        {
            var live = (current.TryGetValue(id, out var c) ? c.Residents : 0, c?.Floating ?? 0, pending.GetValueOrDefault(id));
            var kept = stored.TryGetValue(id, out var s) ? (s.Residents, s.Floating, s.Pending) : (0, 0, 0);
            if (live != kept) mismatches.Add($"{id}: stored {kept} ≠ live {live}");
        }
        var misplaced = await db.Database.SqlQuery<long>($"""
            select c.building_id as "Value" from building_counts c join buildings b on b.id = c.building_id
            where c.entrance_cell is distinct from b.entrance_cell or c.grid_id is distinct from b.grid_id
            order by 1
            """).ToListAsync();
        mismatches.AddRange(misplaced.Select(id => $"{id}: entrance cell or grid ≠ the building's"));
        return mismatches;
    }
}
