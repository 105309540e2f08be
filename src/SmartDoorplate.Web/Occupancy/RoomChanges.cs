using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
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
    private const string UniqueViolation = "23505";

    public async Task<RoomOutcome> AddAsync(long buildingId, RoomInput input, CancellationToken ct)
    {
        var floors = await db.Buildings.Where(b => b.Id == buildingId).Select(b => (int?)b.Floors).FirstOrDefaultAsync(ct);
        if (floors is null) return new RoomOutcome.NotFound();
        var (valid, errors) = RoomRules.Validate(input, floors.Value);
        if (valid is null) return new RoomOutcome.Invalid(errors);

        var room = new Room { BuildingId = buildingId, Floor = valid.Floor, Number = valid.Number, AreaM2 = valid.AreaM2, Beds = valid.Beds };
        db.Rooms.Add(room);
        return await SaveAsync(room, null, AuditActions.RoomAdded, new { building = buildingId, room.Floor, room.Number, room.AreaM2, room.Beds }, ct);
    }

    public async Task<RoomOutcome> UpdateAsync(long roomId, RoomInput input, uint? version, CancellationToken ct)
    {
        var room = await db.Rooms.Include(r => r.Building).FirstOrDefaultAsync(r => r.Id == roomId, ct);
        if (room is null) return new RoomOutcome.NotFound();
        // Two people editing one room: the second save must not quietly undo the first.
        if (version is null) return new RoomOutcome.VersionRequired();
        if (version != room.Version) return new RoomOutcome.Stale();
        if (room.RetiredAt is not null) return new RoomOutcome.WrongState(OccupancyText.RoomRetired);
        var (valid, errors) = RoomRules.Validate(input, room.Building!.Floors);
        if (valid is null) return new RoomOutcome.Invalid(errors);

        var before = new { room.Floor, room.Number, room.AreaM2, room.Beds };
        (room.Floor, room.Number, room.AreaM2, room.Beds) = (valid.Floor, valid.Number, valid.AreaM2, valid.Beds);
        return await SaveAsync(room, room.Id, AuditActions.RoomUpdated, new { building = room.BuildingId, before, after = valid }, ct);
    }

    public async Task<RoomOutcome> RetireAsync(long roomId, uint? version, CancellationToken ct)
    {
        var room = await db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId, ct);
        if (room is null) return new RoomOutcome.NotFound();
        if (version is not null && version != room.Version) return new RoomOutcome.Stale();
        if (room.RetiredAt is not null) return new RoomOutcome.WrongState(OccupancyText.RoomRetired);
        // A retired room with people still in it would drop them from every count.
        if (await db.Registrations.IgnoreQueryFilters().Where(ResidenceRegistration.IsOccupying).AnyAsync(r => r.RoomId == roomId, ct))
            return new RoomOutcome.WrongState(OccupancyText.RoomOccupied);

        room.RetiredAt = clock.GetUtcNow();
        return await SaveAsync(room, room.Id, AuditActions.RoomRetired, new { building = room.BuildingId, room.Number }, ct);
    }

    private async Task<RoomOutcome> SaveAsync(Room room, long? knownId, AuditAction action, object details, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The same number twice among a building's current rooms is refused by a partial unique index;
        // asking first gives the field message, the index settles a race.
        var numberTaken = room.RetiredAt is null && await db.Rooms.IgnoreQueryFilters()
            .AnyAsync(r => r.BuildingId == room.BuildingId && r.RetiredAt == null && r.Number == room.Number && r.Id != (knownId ?? 0), ct);
        if (numberTaken) return new RoomOutcome.Invalid(new() { ["number"] = OccupancyText.RoomNumberTaken });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new RoomOutcome.Stale();
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: UniqueViolation })
        {
            return new RoomOutcome.Invalid(new() { ["number"] = OccupancyText.RoomNumberTaken });
        }

        await audit.AppendAsync(new AuditEntry(action, "room", room.Id.ToString(CultureInfo.InvariantCulture), Details: details), ct);
        await transaction.CommitAsync(ct);
        return new RoomOutcome.Done(room);
    }
}
