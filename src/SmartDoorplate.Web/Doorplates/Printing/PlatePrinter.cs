using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;

namespace SmartDoorplate.Doorplates.Printing;

public sealed record PlateSelection(IReadOnlyList<PlateFace> Faces, IReadOnlyList<string> UnknownBuildingCodes);

// Chooses plates for a print run (issuing a first plate to any building that has none, so that a
// sheet always covers every building asked for), writes the PDF and audits the run.
// Shared by `sdp print` and GET /api/grids/{code}/plates.pdf. The caller's scope applies throughout.
public sealed class PlatePrinter(SmartDoorplateDb db, AuditTrail audit, PlateFonts fonts)
{
    public async Task<PlateSelection?> ForGridAsync(string gridCode, CancellationToken ct)
    {
        var gridId = await db.Grids.Where(g => g.Code == gridCode).Select(g => (long?)g.Id).FirstOrDefaultAsync(ct);
        if (gridId is null) return null;
        var buildings = db.Buildings.Where(b => b.GridId == gridId);
        await DoorplateIssuing.IssueMissingAsync(db, audit, buildings.Select(b => b.Id), ct);
        return new PlateSelection(await CurrentFacesAsync(buildings.Select(b => b.Id), ct), []);
    }

    public async Task<PlateSelection> ForBuildingsAsync(IReadOnlyCollection<string> buildingCodes, CancellationToken ct)
    {
        var codes = buildingCodes.Distinct().ToArray();
        var buildings = db.Buildings.Where(b => codes.Contains(b.Code));
        var known = await buildings.Select(b => b.Code).ToListAsync(ct);
        await DoorplateIssuing.IssueMissingAsync(db, audit, buildings.Select(b => b.Id), ct);
        return new PlateSelection(await CurrentFacesAsync(buildings.Select(b => b.Id), ct), codes.Except(known).ToList());
    }

    private async Task<IReadOnlyList<PlateFace>> CurrentFacesAsync(IQueryable<long> buildingIds, CancellationToken ct) =>
        await DoorplateIssuing.Faces(db.Doorplates.AsNoTracking()
                .Where(d => d.RevokedAt == null && buildingIds.Contains(d.BuildingId))
                .OrderBy(d => d.Building!.Code))
            .ToListAsync(ct);

    public async Task WriteAsync(Stream output, PlateSelection selection, string baseUrl, string title,
        string auditTargetType, string? auditTargetId, Action<int>? onPlateDrawn, CancellationToken ct)
    {
        PlateSheet.Write(output, selection.Faces, code => DoorplateLinks.ScanLink(baseUrl, code), fonts, title, onPlateDrawn);
        await audit.AppendAsync(new AuditEntry(AuditActions.DoorplatesPrinted, auditTargetType, auditTargetId, null,
            new { count = selection.Faces.Count, baseUrl }), ct);
    }
}
