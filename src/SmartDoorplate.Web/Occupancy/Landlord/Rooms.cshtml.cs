using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy.Landlord;

public sealed class RoomForm
{
    public long? RoomId { get; set; }
    public string? Floor { get; set; }
    public string? Number { get; set; }
    public string? AreaM2 { get; set; }
    public string? Beds { get; set; }
    public uint? Version { get; set; }

    public RoomInput AsInput() => new(Floor, Number, AreaM2, Beds);
}

public sealed record RoomRow(long Id, int Floor, string Number, decimal? AreaM2, int Beds, int Occupants, uint Version);

// Add, edit and retire the rooms of one building. Each room's form carries the version it was shown
// at, so a save over someone else's newer change is refused, never applied.
[Authorize(Policy = Policies.Landlord)]
public sealed class RoomsModel(SmartDoorplateDb db, RoomChanges changes) : PageModel
{
    [BindProperty] public RoomForm Input { get; set; } = new();
    public BuildingChoice? Building { get; private set; }
    public IReadOnlyList<RoomRow> Rooms { get; private set; } = [];
    public Dictionary<string, Bilingual> Errors { get; private set; } = [];
    // Which form the errors belong to: a room's id, or null for the add form.
    public long? ErrorsFor { get; private set; }
    public string? Problem { get; private set; }
    public string? Message { get; private set; }
    public Language Language { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        return Building is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostAddAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, null, changes.AddAsync(id, Input.AsInput(), ct), LandlordText.RoomAdded, ct);

    public Task<IActionResult> OnPostEditAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, Input.RoomId, changes.UpdateAsync(Input.RoomId ?? 0, Input.AsInput(), Input.Version, ct), LandlordText.RoomSaved, ct);

    public Task<IActionResult> OnPostRetireAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, Input.RoomId, changes.RetireAsync(Input.RoomId ?? 0, Input.Version, ct), LandlordText.RoomRetired, ct);

    private async Task<IActionResult> ChangeAsync(long buildingId, long? roomId, Task<RoomOutcome> change, Bilingual done, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        var outcome = await change;
        if (outcome is RoomOutcome.Done)
        {
            await LoadAsync(buildingId, ct);
            Message = done.In(Language);
            Input = new RoomForm();
            return Page();
        }

        ErrorsFor = roomId;
        (Problem, Response.StatusCode) = outcome switch
        {
            RoomOutcome.Invalid invalid => (LandlordText.Fix.In(Language), StatusCodes.Status400BadRequest),
            RoomOutcome.Stale => (OccupancyText.Stale.In(Language), StatusCodes.Status409Conflict),
            RoomOutcome.VersionRequired => (OccupancyText.VersionRequired.In(Language), StatusCodes.Status428PreconditionRequired),
            RoomOutcome.WrongState wrong => (wrong.Title.In(Language), StatusCodes.Status409Conflict),
            _ => (OccupancyText.RoomNotFound.In(Language), StatusCodes.Status404NotFound),
        };
        if (outcome is RoomOutcome.Invalid i) Errors = i.Errors;
        await LoadAsync(buildingId, ct);
        return Building is null ? NotFound() : Page();
    }

    private async Task LoadAsync(long buildingId, CancellationToken ct)
    {
        Language = Languages.Of(Request);
        Building = await db.Buildings.AsNoTracking().Where(b => b.Id == buildingId)
            .Select(b => new BuildingChoice(b.Id, b.Code, b.Address!.FullText)).FirstOrDefaultAsync(ct);
        Rooms = await db.Rooms.AsNoTracking().Where(r => r.BuildingId == buildingId && r.RetiredAt == null)
            .OrderBy(r => r.Floor).ThenBy(r => r.Number)
            .Select(r => new RoomRow(r.Id, r.Floor, r.Number, r.AreaM2, r.Beds,
                db.Registrations.Where(ResidenceRegistration.IsOccupying).Count(g => g.RoomId == r.Id), r.Version))
            .ToListAsync(ct);
    }

    // What a room's form shows: what was typed when that form has errors, else the stored values.
    public string? Value(RoomRow? room, Func<RoomForm, string?> typed, Func<RoomRow, string?> stored) =>
        Errors.Count > 0 && ErrorsFor == room?.Id ? typed(Input) : room is null ? null : stored(room);

    public string? Error(long? roomId, string field) =>
        ErrorsFor == roomId && Errors.TryGetValue(field, out var e) ? e.In(Language) : null;
}
