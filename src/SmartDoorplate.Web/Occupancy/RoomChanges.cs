using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

// What a landlord types for a room, from the page or the API: all text, so that every bad value comes
// back as a message next to its field rather than as a failed model binding.
public sealed record RoomInput(string? Floor, string? Number, string? AreaM2, string? Beds);

public sealed record ValidRoom(int Floor, string Number, decimal? AreaM2, int Beds);

public static partial class RoomRules
{
    public const int LowestFloor = -5;          // basements are let too (as in rooms.csv)
    public const int MaxNumberLength = 20;
    public const int MaxBeds = 100;             // ck_rooms_beds
    public const decimal MaxAreaM2 = 10_000m;

    [GeneratedRegex(@"^[^<>\p{Cc}]*$")]
    private static partial Regex PlainText();

    public static (ValidRoom? Valid, Dictionary<string, Bilingual> Errors) Validate(RoomInput input, int buildingFloors)
    {
        var errors = new Dictionary<string, Bilingual>();
        if (!int.TryParse(input.Floor?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var floor)
            || floor < LowestFloor || floor > buildingFloors)
            errors["floor"] = OccupancyText.RoomFloor.Format(LowestFloor, buildingFloors);

        var number = input.Number?.Trim() ?? "";
        if (number.Length == 0) errors["number"] = OccupancyText.RoomNumberRequired;
        else if (number.Length > MaxNumberLength) errors["number"] = OccupancyText.RoomNumberTooLong.Format(MaxNumberLength);
        else if (!PlainText().IsMatch(number)) errors["number"] = OccupancyText.RoomNumberCharacters;

        decimal? area = null;
        if (!string.IsNullOrWhiteSpace(input.AreaM2))
        {
            if (decimal.TryParse(input.AreaM2.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed)
                && parsed > 0 && parsed <= MaxAreaM2 && decimal.Round(parsed, 1) == parsed)
                area = parsed;
            else
                errors["areaM2"] = OccupancyText.RoomArea.Format(MaxAreaM2);
        }

        if (!int.TryParse(input.Beds?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var beds) || beds > MaxBeds)
            errors["beds"] = OccupancyText.RoomBeds.Format(0, MaxBeds);

        return errors.Count > 0 ? (null, errors) : (new ValidRoom(floor, number, area, beds), errors);
    }
}

public abstract record RoomOutcome
{
    public sealed record Done(Room Room) : RoomOutcome;
    public sealed record NotFound : RoomOutcome;
    public sealed record Stale : RoomOutcome;
    public sealed record VersionRequired : RoomOutcome;
    public sealed record WrongState(Bilingual Title) : RoomOutcome;
    public sealed record Invalid(Dictionary<string, Bilingual> Errors) : RoomOutcome;
}

// Adding, editing and retiring a landlord's rooms, shared by the API and the rooms page. Rooms are
// read through the scope filters: another landlord's building or room is not found. Rooms are never
// deleted — past registrations point at them — only retired.
public sealed class RoomChanges(SmartDoorplateDb db, AuditTrail audit, TimeProvider clock)
{
    public async Task<RoomOutcome> AddAsync(long buildingId, RoomInput input, CancellationToken ct)
    {
        var floors = await db.Buildings.Where(b => b.Id == buildingId).Select(b => (int?)b.Floors).FirstOrDefaultAsync(ct);
        if (floors is null) return new RoomOutcome.NotFound();
        var (valid, errors) = RoomRules.Validate(input, floors.Value);
        if (valid is null) return new RoomOutcome.Invalid(errors);

        var room = new Room { BuildingId = buildingId, Floor = valid.Floor, Number = valid.Number, AreaM2 = valid.AreaM2, Beds = valid.Beds };
        db.Rooms.Add(room);
        return await ChangeAsync(_ => Task.FromResult<Room?>(room), null, VersionRule.Optional, async added =>
            await NumberTakenAsync(added, null, ct) ?? Audited(added, AuditActions.RoomAdded, new { building = buildingId, added.Floor, added.Number, added.AreaM2, added.Beds }), ct);
    }

    public Task<RoomOutcome> UpdateAsync(long roomId, RoomInput input, uint? version, CancellationToken ct) =>
        ChangeAsync(ct => db.Rooms.Include(r => r.Building).FirstOrDefaultAsync(r => r.Id == roomId, ct), version, VersionRule.Required, async room =>
        {
            if (room.RetiredAt is not null) return new RoomOutcome.WrongState(OccupancyText.RoomRetired);
            var (valid, errors) = RoomRules.Validate(input, room.Building!.Floors);
            if (valid is null) return new RoomOutcome.Invalid(errors);

            var before = new { room.Floor, room.Number, room.AreaM2, room.Beds };
            (room.Floor, room.Number, room.AreaM2, room.Beds) = (valid.Floor, valid.Number, valid.AreaM2, valid.Beds);
            return await NumberTakenAsync(room, room.Id, ct) ?? Audited(room, AuditActions.RoomUpdated, new { building = room.BuildingId, before, after = valid });
        }, ct);

    public Task<RoomOutcome> RetireAsync(long roomId, uint? version, CancellationToken ct) =>
        ChangeAsync(ct => db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId, ct), version, VersionRule.Optional, async room =>
        {
            if (room.RetiredAt is not null) return new RoomOutcome.WrongState(OccupancyText.RoomRetired);
            // A retired room with people still in it would drop them from every count.
            if (await db.Registrations.IgnoreQueryFilters().Where(ResidenceRegistration.IsOccupying).AnyAsync(r => r.RoomId == roomId, ct))
                return new RoomOutcome.WrongState(OccupancyText.RoomOccupied);

            room.RetiredAt = clock.GetUtcNow();
            return Audited(room, AuditActions.RoomRetired, new { building = room.BuildingId, room.Number });
        }, ct);

    // The same number twice among a building's current rooms is refused by a partial unique index;
    // asking first gives the field message, the index settles a race.
    private async Task<Transition<RoomOutcome>?> NumberTakenAsync(Room room, long? knownId, CancellationToken ct)
    {
        var taken = room.RetiredAt is null && await db.Rooms.IgnoreQueryFilters()
            .AnyAsync(r => r.BuildingId == room.BuildingId && r.RetiredAt == null && r.Number == room.Number && r.Id != (knownId ?? 0), ct);
        return taken ? Transition<RoomOutcome>.Refused(NumberTaken()) : null;
    }

    private static RoomOutcome NumberTaken() => new RoomOutcome.Invalid(new() { ["number"] = OccupancyText.RoomNumberTaken });

    // Built after the save: a room just added has its id only then.
    private static Transition<RoomOutcome> Audited(Room room, AuditAction action, object details) =>
        Transition<RoomOutcome>.Made(() => new AuditEntry(action, "room", room.Id.ToString(CultureInfo.InvariantCulture), Details: details));

    private async Task<RoomOutcome> ChangeAsync(
        Func<CancellationToken, Task<Room?>> read, uint? version, VersionRule rule, Func<Room, Task<Transition<RoomOutcome>>> transition, CancellationToken ct)
    {
        var result = await AuditedChange.RunAsync(db, audit, read, r => r.Version, version, rule, transition, ct, uniqueViolation: NumberTaken);
        return result.State switch
        {
            ChangeState.Done => new RoomOutcome.Done(result.Entity!),
            ChangeState.NotFound => new RoomOutcome.NotFound(),
            ChangeState.VersionRequired => new RoomOutcome.VersionRequired(),
            ChangeState.Stale => new RoomOutcome.Stale(),
            _ => result.Refusal!,
        };
    }
}
