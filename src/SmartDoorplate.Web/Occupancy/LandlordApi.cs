using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Privacy;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

public sealed record LandlordRegistrationDto(
    Guid Id, string Status, string Name, string IdNumber, string Phone, long BuildingId, string BuildingCode,
    string? Room, DateOnly MoveInDate, DateOnly? MoveOutDate, DateTimeOffset SubmittedAt, bool Late);

// A tenant's registration as the landlord enters it for them: the tenant's form without the plate code.
public sealed record LandlordEntryRequest(
    long? BuildingId, string? Room, string? Name, string? IdNumber, string? Phone, string? MoveInDate, string? Reason,
    string? Employer, bool? Consent)
{
    public RegistrationInput AsInput() => new(null, Room, Name, IdNumber, Phone, MoveInDate, Reason, Employer, Consent);
}

public sealed record LandlordBuildingDto(long Id, string Code, string Address, int Floors, string Use, int Rooms, int Beds, int Occupants, int Pending);

public static class LandlordApi
{
    public static IEndpointRouteBuilder MapLandlord(this IEndpointRouteBuilder app)
    {
        // The query filters limit a landlord to their own buildings; the policy keeps police and
        // admins on their own endpoints.
        var group = app.MapGroup("/api/landlord").WithTags("Landlord").RequireAuthorization(Policies.Landlord);
        group.MapGet("/registrations", Registrations);
        group.MapPost("/registrations", Enter).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/buildings", Buildings);
        group.MapRooms();
        group.MapTenantExport();
        return app;
    }

    public static IServiceCollection AddOccupancy(this IServiceCollection services)
    {
        services.AddScoped<RegistrationDecisions>();
        services.AddScoped<RoomChanges>();
        return services;
    }

    // Idempotency keys are per landlord, so that two landlords' clients can never collide.
    public static string? LandlordIdempotencyKey(long landlordId, string? key) =>
        key is null ? null : $"landlord:{landlordId.ToString(CultureInfo.InvariantCulture)}:{key}";

    private static async Task<Results<Created<RegistrationCreatedDto>, Ok<RegistrationCreatedDto>, ValidationProblem, ProblemHttpResult>> Enter(
        LandlordEntryRequest request, [FromHeader(Name = RegistrationsApi.IdempotencyHeader)] string? idempotencyKey,
        TenantRegistration registrations, SmartDoorplateDb db, CancellationToken ct)
    {
        if (!RegistrationRules.IdempotencyKeyAcceptable(idempotencyKey, maxLength: 60))
            return ValidationProblems.For(RegistrationsApi.IdempotencyHeader, RegistrationText.IdempotencyKeyInvalid);
        if (request.BuildingId is not { } buildingId)
            return RegistrationDecisionsApi.ValidationProblem(new() { ["buildingId"] = OccupancyText.BuildingRequired });

        var landlordId = db.Scope.UserId!.Value;
        var outcome = await registrations.EnterForTenantAsync(buildingId, request.AsInput(), landlordId, LandlordIdempotencyKey(landlordId, idempotencyKey), ct);
        return outcome switch
        {
            SubmissionOutcome.Created c => TypedResults.Created($"/api/registrations/{c.Registration.Id}", c.Registration.AsCreatedDto()),
            SubmissionOutcome.Repeated r => TypedResults.Ok(r.Registration.AsCreatedDto()),
            SubmissionOutcome.Invalid i => ValidationProblems.For(i.Errors, RegistrationText.ValidationTitle),
            SubmissionOutcome.KeyConflict => TypedResults.Problem(title: RegistrationText.IdempotencyConflict.ToString(), statusCode: StatusCodes.Status422UnprocessableEntity),
            _ => TypedResults.Problem(title: OccupancyText.BuildingNotFound.ToString(), statusCode: StatusCodes.Status404NotFound),
        };
    }

    private static async Task<Results<Ok<List<LandlordRegistrationDto>>, ValidationProblem>> Registrations(
        string? status, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, CancellationToken ct)
    {
        var query = db.Registrations.AsNoTracking();
        if (status is not null)
        {
            if (!SnakeCaseEnum.TryParse<RegistrationStatus>(status, out var s))
                return ValidationProblems.For(new Dictionary<string, string[]>
                {
                    ["status"] = [$"状态须为 {string.Join("、", SnakeCaseEnum.Codes<RegistrationStatus>())} 之一 / status must be one of {string.Join(", ", SnakeCaseEnum.Codes<RegistrationStatus>())}"],
                });
            query = query.Where(r => r.Status == s);
        }
        var rows = await query.OrderByDescending(r => r.SubmittedAt).Take(1000)
            .Select(r => new
            {
                r.Id, r.Status, r.Person!.Name, r.Person.IdNumberCipher, r.Person.PhoneCipher, r.BuildingId, BuildingCode = r.Building!.Code,
                Room = r.Room != null ? r.Room.Number : r.RoomLabel, r.MoveInDate, r.MoveOutDate, r.SubmittedAt, r.Late,
            })
            .ToListAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.TenantListView, Details: new { status, count = rows.Count }), ct);
        return TypedResults.Ok(rows.Select(r => new LandlordRegistrationDto(
            r.Id, SnakeCaseEnum.ToCode(r.Status), Masking.MaskChineseName(r.Name),
            Masking.MaskResidentId(protector.Decrypt(r.IdNumberCipher)), Masking.MaskMobilePhone(protector.Decrypt(r.PhoneCipher)),
            r.BuildingId, r.BuildingCode, r.Room, r.MoveInDate, r.MoveOutDate, r.SubmittedAt, r.Late)).ToList());
    }

    private static async Task<Ok<List<LandlordBuildingDto>>> Buildings(SmartDoorplateDb db, CancellationToken ct)
    {
        var buildings = await db.Buildings.AsNoTracking().OrderBy(b => b.Code)
            .Select(b => new
            {
                b.Id, b.Code, Address = b.Address!.FullText, b.Floors, b.Use,
                Rooms = db.Rooms.Count(r => r.BuildingId == b.Id && r.RetiredAt == null),
                Beds = db.Rooms.Where(r => r.BuildingId == b.Id && r.RetiredAt == null).Sum(r => (int?)r.Beds) ?? 0,
                Occupants = db.Registrations.Count(r => r.BuildingId == b.Id && r.MoveOutDate == null
                    && (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified)),
                Pending = db.Registrations.Count(r => r.BuildingId == b.Id && r.Status == RegistrationStatus.Submitted),
            })
            .ToListAsync(ct);
        return TypedResults.Ok(buildings.Select(b => new LandlordBuildingDto(
            b.Id, b.Code, b.Address, b.Floors, SnakeCaseEnum.ToCode(b.Use), b.Rooms, b.Beds, b.Occupants, b.Pending)).ToList());
    }
}
