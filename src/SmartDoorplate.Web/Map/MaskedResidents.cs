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
public static class MaskedResidents
{
    public const int MaxListed = 200;

    public static async Task<(List<MaskedResidentDto> Listed, int Total)> ListAsync(
        IQueryable<ResidenceRegistration> registrations, PersonalDataProtector protector, CancellationToken ct, int? knownTotal = null)
    {
        var total = knownTotal ?? await registrations.CountAsync(ct);
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
        var listed = rows.Select(r => new MaskedResidentDto(
            r.PersonId, Masking.MaskChineseName(r.Name), Masking.MaskResidentId(protector.Decrypt(r.IdNumberCipher)),
            SnakeCaseEnum.ToCode(r.Sex), CurrentResidents.IsFloating(r.OriginRegionCode),
            r.BuildingId, r.BuildingCode, r.Address, r.Room, SnakeCaseEnum.ToCode(r.Status), r.MoveInDate)).ToList();
        return (listed, total);
    }

    public static Task AuditAsync(AuditTrail audit, string purpose, object criteria, IReadOnlyList<MaskedResidentDto> listed, int total, CancellationToken ct) =>
        audit.AppendAsync(new AuditEntry(AuditActions.PersonSearch, AuditTargets.Person, null, purpose.Trim(), new
        {
            by = "map",
            criteria,
            results = total,
            persons = listed.Select(r => r.PersonId).Distinct().ToArray(),
        }), ct);
}
