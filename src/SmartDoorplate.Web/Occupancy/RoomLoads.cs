using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

// Beds against current occupants, room by room. The occupant count is ResidenceRegistration.IsOccupying,
// the same definition the police queue's overcrowding flag counts with: a room the landlord is told
// is full is a room the queue flags once one more tenant is confirmed into it.
public static class RoomLoads
{
    public static IQueryable<RoomLoad> Of(SmartDoorplateDb db, IQueryable<Room> rooms) =>
        rooms.Where(r => r.RetiredAt == null).Select(r => new RoomLoad(r.Id, r.Floor, r.Number, r.Beds,
            db.Registrations.Where(ResidenceRegistration.IsOccupying).Count(g => g.RoomId == r.Id)));

    // The room a pending registration would be confirmed into, when it names a listed room and that
    // room has no free bed left. Through the scope filters: another landlord's registration has none.
    public static async Task<RoomLoad?> FullRoomOfAsync(SmartDoorplateDb db, Guid registrationId, CancellationToken ct)
    {
        var roomId = await db.Registrations.AsNoTracking()
            .Where(r => r.Id == registrationId && r.Status == RegistrationStatus.Submitted && r.RoomId != null)
            .Select(r => r.RoomId).FirstOrDefaultAsync(ct);
        if (roomId is null) return null;
        var load = await Of(db, db.Rooms.AsNoTracking().Where(r => r.Id == roomId)).FirstOrDefaultAsync(ct);
        return load is { Full: true } ? load : null;
    }

    // The full rooms of a building for the tenant's form, which anyone holding the plate may open: it
    // learns only that a room is full, never how many live there or who.
    public static async Task<IReadOnlySet<string>> FullRoomNumbersAsync(SmartDoorplateDb db, long buildingId, CancellationToken ct) =>
        (await db.Rooms.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.BuildingId == buildingId && r.RetiredAt == null)
            .Where(r => db.Registrations.IgnoreQueryFilters().Where(ResidenceRegistration.IsOccupying).Count(g => g.RoomId == r.Id) >= r.Beds)
            .Select(r => r.Number).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    public static readonly Bilingual FullMark = new("（已满）", " (full)");

    // The label of a room in the tenant's form: its number, marked when no bed is free.
    public static string Label(string room, IReadOnlySet<string> fullRooms, Language language) =>
        fullRooms.Contains(room) ? room + FullMark.In(language) : room;
}
