using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;

namespace SmartDoorplate.Registrations;

// What anyone holding a phone in front of the door may see: the address, the building code and the
// community police contact. Never a resident, never an occupancy count.
public sealed record PublicPlateView(
    string Code, bool Revoked, long BuildingId, string BuildingCode, string Address, string Road, string Number,
    string StationName, string Hotline, string? OfficerName, string? OfficerPhone);

public static class PublicPlate
{
    // Scan pages are anonymous, so the scope filters would hide every plate: they are bypassed here on
    // purpose, and the projection above is all that leaves.
    public static Task<PublicPlateView?> FindAsync(SmartDoorplateDb db, string? code, CancellationToken ct)
    {
        var normalised = DoorplateCode.Normalize(code);
        if (normalised is null) return Task.FromResult<PublicPlateView?>(null);
        return db.Doorplates.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.Code == normalised)
            .Select(d => new PublicPlateView(
                d.Code, d.RevokedAt != null, d.BuildingId, d.Building!.Code, d.Building.Address!.FullText,
                d.Building.Address.Road, d.Building.Address.Number,
                d.Building.Grid!.Station!.Name, d.Building.Grid.Station.Hotline, d.Building.Grid.Station.OfficerName,
                d.Building.Grid.Station.OfficerPhone))
            .FirstOrDefaultAsync(ct);
    }

    // The plate a tenant may act on: a replaced plate only explains itself on the scan page.
    public static async Task<PublicPlateView?> FindCurrentAsync(SmartDoorplateDb db, string? code, CancellationToken ct) =>
        await FindAsync(db, code, ct) is { Revoked: false } plate ? plate : null;
}
