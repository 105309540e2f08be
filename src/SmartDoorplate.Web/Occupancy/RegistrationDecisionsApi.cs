using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

public sealed record RegistrationStateDto(
    Guid Id, string Status, string StatusText, string Channel, long BuildingId, string? Room, DateOnly MoveInDate, DateOnly? MoveOutDate,
    DateTimeOffset SubmittedAt, DateTimeOffset? ConfirmedAt, long? ConfirmedById, DateTimeOffset? VerifiedAt, long? VerifiedById,
    DateTimeOffset? RejectedAt, string? RejectionCode, string? RejectionReason, DateTimeOffset? EndedAt, string? EndReason,
    bool Late, uint Version);

public sealed record DecisionRequest(uint? Version);
public sealed record RejectionRequest(string? Reason, string? Text, uint? Version);
public sealed record StaffMoveOutRequest(string? Date, uint? Version);

// The registration lifecycle after submission (docs/ARCHITECTURE.md): the owning landlord or police of
// the scope confirm, reject or record a move-out; police verify. Each answer carries the new ETag.
public static class RegistrationDecisionsApi
{
    public static IEndpointRouteBuilder MapRegistrationDecisions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/registrations/{id:guid}").WithTags("Registrations");
        group.MapGet("/", Get).RequireAuthorization(Policies.LandlordOrPolice);
        group.MapPost("/confirm", (Guid id, DecisionRequest? body, HttpContext http, RegistrationDecisions decisions, CancellationToken ct) =>
            DecideAsync(http, body?.Version, version => decisions.ConfirmAsync(id, version, ct)))
            .RequireAuthorization(Policies.LandlordOrPolice).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/reject", (Guid id, RejectionRequest body, HttpContext http, RegistrationDecisions decisions, CancellationToken ct) =>
            DecideAsync(http, body.Version, version => decisions.RejectAsync(id, body.Reason, body.Text, version, ct)))
            .RequireAuthorization(Policies.LandlordOrPolice).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/move-out", (Guid id, StaffMoveOutRequest body, HttpContext http, RegistrationDecisions decisions, CancellationToken ct) =>
            DecideAsync(http, body.Version, version => decisions.MoveOutAsync(id, body.Date, version, ct)))
            .RequireAuthorization(Policies.LandlordOrPolice).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/verify", (Guid id, DecisionRequest? body, HttpContext http, RegistrationDecisions decisions, CancellationToken ct) =>
            DecideAsync(http, body?.Version, version => decisions.VerifyAsync(id, version, ct)))
            .RequireAuthorization(Policies.Police).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<RegistrationStateDto>, ProblemHttpResult>> Get(
        Guid id, HttpContext http, SmartDoorplateDb db, CancellationToken ct)
    {
        var registration = await db.Registrations.AsNoTracking().Include(r => r.Room).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (registration is null) return NotFound();
        RowVersion.SetETag(http.Response, registration.Version);
        return TypedResults.Ok(registration.AsStateDto());
    }

    private static async Task<Results<Ok<RegistrationStateDto>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        HttpContext http, uint? bodyVersion, Func<uint?, Task<DecisionOutcome>> decide)
    {
        if (RowVersion.Read(http.Request, bodyVersion, out var version) == RowVersionRead.Malformed)
            return ValidationProblem(new() { ["version"] = OccupancyText.VersionMalformed });

        var outcome = await decide(version);
        switch (outcome)
        {
            case DecisionOutcome.Done done:
                RowVersion.SetETag(http.Response, done.Registration.Version);
                return TypedResults.Ok(done.Registration.AsStateDto());
            case DecisionOutcome.Invalid invalid:
                return ValidationProblem(invalid.Errors);
            case DecisionOutcome.Stale:
                return TypedResults.Problem(title: OccupancyText.Stale.ToString(), statusCode: StatusCodes.Status409Conflict);
            case DecisionOutcome.WrongState wrong:
                return TypedResults.Problem(title: wrong.Title.ToString(), statusCode: StatusCodes.Status409Conflict);
            default:
                return NotFound();
        }
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: OccupancyText.RegistrationNotFound.ToString(), statusCode: StatusCodes.Status404NotFound);

    public static ValidationProblem ValidationProblem(Dictionary<string, Bilingual> errors) =>
        ValidationProblems.For(errors, OccupancyText.ValidationTitle);

    public static RegistrationStateDto AsStateDto(this ResidenceRegistration r) =>
        new(r.Id, SnakeCaseEnum.ToCode(r.Status), RegistrationText.Statuses[r.Status].ToString(), SnakeCaseEnum.ToCode(r.Channel),
            r.BuildingId, r.Room?.Number ?? r.RoomLabel, r.MoveInDate, r.MoveOutDate, r.SubmittedAt, r.ConfirmedAt, r.ConfirmedById,
            r.VerifiedAt, r.VerifiedById, r.RejectedAt, r.RejectionCode is { } code ? SnakeCaseEnum.ToCode(code) : null, r.RejectionReason,
            r.EndedAt, r.EndReason is { } end ? SnakeCaseEnum.ToCode(end) : null, r.Late, r.Version);
}
