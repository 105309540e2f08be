using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

public sealed record MaskedResidentDto(
    Guid PersonId, string Name, string IdNumber, string Sex, bool Floating,
    long BuildingId, string BuildingCode, string Address, string? Room, string Status, DateOnly MoveInDate);

public sealed record ResidentListRequest(string? Purpose);

// The resident lists of the map (a building's "show residents", an area drawn on the map): names
// and ID numbers masked, at most MaxListed rows, and always audited as a person search with the
// officer's purpose and the persons listed (AuditEvent conventions: a list targets no single person).
// The endpoints that list residents take this service, which holds the key to the ID numbers and
// the audit trail, so the masking and the audit are written here once.
public sealed class MaskedResidents(PersonalDataProtector protector, AuditTrail audit)
{
    public const int MaxListed = 200;

    public async Task<(List<MaskedResidentDto> Listed, int Total)> ListAsync(
        IQueryable<ResidenceRegistration> registrations, CancellationToken ct)
    {
        var total = await registrations.CountAsync(ct);
        var rows = await registrations.AsNoTracking()
            .OrderBy(r => r.Building!.Code).ThenBy(r => r.Room != null ? r.Room.Number : r.RoomLabel).ThenBy(r => r.Person!.Name)
            .Take(MaxListed)
            .Select(r => new
            {
                r.PersonId, r.Person!.Name, r.Person.IdNumberCipher, r.Person.Sex, r.Person.OriginRegionCode,
                r.BuildingId, BuildingCode = r.Building!.Code, Address = r.Building.Address!.FullText,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, r.Status, r.MoveInDate,
            })
            .ToListAsync(ct);
        var listed = rows.Select(r => Mask(
            r.PersonId, r.Name, r.IdNumberCipher, SnakeCaseEnum.ToCode(r.Sex), r.OriginRegionCode,
            r.BuildingId, r.BuildingCode, r.Address, r.Room, SnakeCaseEnum.ToCode(r.Status), r.MoveInDate)).ToList();
        return (listed, total);
    }

    // One listed resident: the name and the decrypted ID number masked, floating by the ID's region.
    public MaskedResidentDto Mask(Guid personId, string name, byte[] idNumberCipher, string sex, string originRegionCode,
        long buildingId, string buildingCode, string address, string? room, string status, DateOnly moveInDate) =>
        new(personId, Masking.MaskChineseName(name), Masking.MaskResidentId(protector.Decrypt(idNumberCipher)),
            sex, CurrentResidents.IsFloating(originRegionCode), buildingId, buildingCode, address, room, status, moveInDate);

    public Task AuditAsync(string purpose, object criteria, IReadOnlyList<MaskedResidentDto> listed, int total, CancellationToken ct) =>
        audit.AppendAsync(new AuditEntry(AuditActions.PersonSearch, AuditTargets.Person, null, purpose.Trim(), new
        {
            by = "map",
            criteria,
            results = total,
            persons = listed.Select(r => r.PersonId).Distinct().ToArray(),
        }), ct);
}
