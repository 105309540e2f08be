using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Registrations;

// Beside the masked number only what Masking allows: the age band, not the birth date; the
// prefecture, not the county (they would give the hidden digits back).
public sealed record PersonSummaryDto(Guid Id, string Name, string IdNumber, string Phone, string Sex, string AgeBand, string OriginPrefecture);
public sealed record PersonRegistrationDto(Guid Id, long BuildingId, string Address, string? Room, string Status, DateOnly MoveInDate, DateOnly? MoveOutDate);
public sealed record PersonDto(PersonSummaryDto Person, IReadOnlyList<PersonRegistrationDto> Registrations);
public sealed record RevealRequest(string? Purpose);
public sealed record PersonSearchRequest(string? Q, string? Purpose);
public sealed record RevealedPersonDto(Guid Id, string Name, string IdNumber, string Phone);

// Police look-ups of persons. Lists and records show masked values (GB/T 35273 style); the clear ID
// number and phone only come from an explicit reveal with a stated purpose. Every call is audited
// with TargetType "person" so that the resident can see, from their receipt, who looked.
public static class PersonsApi
{
    public static IEndpointRouteBuilder MapPersons(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/persons").WithTags("Persons");
        // POST, not GET: an ID number in a URL ends up in proxy and browser histories.
        group.MapPost("/search", Search).RequireAuthorization(Policies.Police);
        group.MapGet("/{id:guid}", GetPerson).RequireAuthorization(Policies.PoliceOrAdmin);
        group.MapPost("/{id:guid}/reveal", Reveal).RequireAuthorization(Policies.Police);
        return app;
    }

    private static async Task<Results<Ok<List<PersonSummaryDto>>, ValidationProblem>> Search(
        PersonSearchRequest request, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var purpose = request.Purpose;
        var errors = LookUpPurpose.Errors(purpose) ?? [];
        var term = request.Q?.Trim() ?? "";
        if (term.Length is < 2 or > 50) errors["q"] = ["请输入 2–50 个字的姓名或身份证号 / Enter a name or ID number of 2–50 characters"];
        if (errors.Count > 0) return ValidationProblems.For(errors);

        var id = ResidentIdNumber.Validate(term, DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
        var query = db.Persons.AsNoTracking();
        var idIndex = id.Number is { } number ? protector.BlindIndex(number.Value) : null;
        query = idIndex is not null
            ? query.Where(p => p.IdNumberIndex == idIndex)
            : query.Where(p => p.Name == term || p.Name.StartsWith(term));
        var people = await query.OrderBy(p => p.Name).Take(100).ToListAsync(ct);

        await audit.AppendAsync(new AuditEntry(AuditActions.PersonSearch, "person", null, purpose!.Trim(), new
        {
            by = id.Number is null ? "name" : "id_number",
            term = id.Number is { } n ? Masking.MaskResidentId(n.Value) : Masking.MaskChineseName(term),
            results = people.Count,
            persons = people.Select(p => p.Id).ToArray(),
        }), ct);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        return TypedResults.Ok(people.Select(p => p.AsSummaryDto(protector, today)).ToList());
    }

    private static async Task<Results<Ok<PersonDto>, NotFound>> GetPerson(
        Guid id, string? purpose, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var person = await db.Persons.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null) return TypedResults.NotFound();
        var registrations = await db.Registrations.AsNoTracking().Where(r => r.PersonId == id)
            .OrderByDescending(r => r.MoveInDate)
            .Select(r => new { r.Id, r.BuildingId, Address = r.Building!.Address!.FullText,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, r.Status, r.MoveInDate, r.MoveOutDate })
            .ToListAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.PersonView, "person", id.ToString("D"), purpose?.Trim()), ct);
        return TypedResults.Ok(new PersonDto(person.AsSummaryDto(protector, DateOnly.FromDateTime(clock.GetLocalNow().DateTime)), registrations
            .Select(r => new PersonRegistrationDto(r.Id, r.BuildingId, r.Address, r.Room, SnakeCaseEnum.ToCode(r.Status), r.MoveInDate, r.MoveOutDate))
            .ToList()));
    }

    private static async Task<Results<Ok<RevealedPersonDto>, NotFound, ValidationProblem>> Reveal(
        Guid id, RevealRequest request, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, CancellationToken ct)
    {
        if (LookUpPurpose.Errors(request.Purpose) is { } errors) return ValidationProblems.For(errors);
        var person = await db.Persons.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null) return TypedResults.NotFound();
        await audit.AppendAsync(new AuditEntry(AuditActions.PersonReveal, "person", id.ToString("D"), request.Purpose!.Trim()), ct);
        return TypedResults.Ok(new RevealedPersonDto(person.Id, person.Name,
            protector.Decrypt(person.IdNumberCipher), protector.Decrypt(person.PhoneCipher)));
    }

    public static PersonSummaryDto AsSummaryDto(this Person p, PersonalDataProtector protector, DateOnly today) =>
        new(p.Id, p.Name, Masking.MaskResidentId(protector.Decrypt(p.IdNumberCipher)), Masking.MaskMobilePhone(protector.Decrypt(p.PhoneCipher)),
            SnakeCaseEnum.ToCode(p.Sex), Masking.AgeBandOf(p.BirthDate, today), Masking.OriginPrefecture(p.OriginRegionCode));
}
