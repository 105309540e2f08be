using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Web.Tests.Registrations;

// building_counts against a count made now from the LINQ definitions (CurrentResidents.IsCurrent,
// floating = origin outside Guiyang, pending = submitted), over every building: "id: stored ≠ live".
public static class BuildingCountsCheck
{
    public static async Task<IReadOnlyList<string>> MismatchesAsync(SmartDoorplateDb db)
    {
        var current = await db.Registrations.IgnoreQueryFilters().Where(CurrentResidents.IsCurrent)
            .GroupBy(r => r.BuildingId)
            .Select(g => new { BuildingId = g.Key, Residents = g.Count(), Floating = g.Count(r => !r.Person!.OriginRegionCode.StartsWith(BuildingsApi.LocalRegionPrefix)) })
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
        return mismatches;
    }
}
