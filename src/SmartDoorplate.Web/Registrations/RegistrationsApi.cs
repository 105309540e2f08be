using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Hosting;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Registrations;

public sealed record RegistrationCreatedDto(Guid Id, string Receipt, string Status);
public sealed record ReceiptStatusDto(
    string Receipt, string Status, string StatusText, string Address, string? Room, DateOnly MoveInDate, DateOnly? MoveOutDate,
    DateTimeOffset SubmittedAt, DateTimeOffset? ConfirmedAt, bool Late, string? RejectionReason, string? RejectionCode, string? EndReason,
    DateTimeOffset? PoliceReportDueAt = null);
public sealed record TenantMoveOutRequest(string? Phone, string? Date);
public sealed record ReceiptLookUpRequest(string? Phone);
public sealed record ReceiptRecoveryRequest(string? DoorplateCode, string? DocumentType, string? IdNumber, string? Nationality, string? Phone);

public static class RegistrationsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapRegistrations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/registrations").WithTags("Registrations");
        group.MapPost("/", Submit).AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        // The phone goes in the body: a query string ends up in proxy logs and browser histories.
        group.MapPost("/receipt/{receipt}", (string receipt, ReceiptLookUpRequest body, HttpContext http, TenantRegistration registrations, CancellationToken ct) =>
                Receipt(receipt, body.Phone, http, registrations, ct))
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        // Kept for clients written before the POST; answers the same and counts the same tries.
        group.MapGet("/receipt/{receipt}", Receipt).AllowAnonymous()
            .AddOpenApiOperationTransformer((operation, _, _) => { operation.Deprecated = true; return Task.CompletedTask; })
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/receipt/{receipt}/move-out", MoveOut).AllowAnonymous()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/recover", Recover).AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Created<RegistrationCreatedDto>, Ok<RegistrationCreatedDto>, ValidationProblem, ProblemHttpResult>> Submit(
        RegistrationInput input, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, TenantRegistration registrations, CancellationToken ct)
    {
        if (!RegistrationRules.IdempotencyKeyAcceptable(idempotencyKey, maxLength: 100))
            return ValidationProblems.For(new Dictionary<string, string[]> { [IdempotencyHeader] = [RegistrationText.IdempotencyKeyInvalid.ToString()] });

        var outcome = await registrations.SubmitAsync(input, RegistrationChannel.Api, idempotencyKey is null ? null : "api:" + idempotencyKey, ct);
        return outcome switch
        {
            SubmissionOutcome.Created c => TypedResults.Created($"/api/registrations/{c.Registration.Id}", c.Registration.AsCreatedDto()),
            SubmissionOutcome.Repeated r => TypedResults.Ok(r.Registration.AsCreatedDto()),
            SubmissionOutcome.Invalid i => ValidationProblems.For(i.Errors, RegistrationText.ValidationTitle),
            SubmissionOutcome.PlateNotFound => TypedResults.Problem(title: RegistrationText.PlateUnknown.ToString(), statusCode: StatusCodes.Status404NotFound),
            SubmissionOutcome.KeyConflict => TypedResults.Problem(title: RegistrationText.IdempotencyConflict.ToString(), statusCode: StatusCodes.Status422UnprocessableEntity),
            // The caller gave the document number and the phone of the open registration: it is theirs.
            SubmissionOutcome.AlreadyRegistered a => TypedResults.Problem(title: RegistrationText.AlreadyRegistered.ToString(), statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["id"] = a.Registration.Id, ["receipt"] = RegistrationReceipt.Format(a.Registration.Receipt), ["status"] = SnakeCaseEnum.ToCode(a.Registration.Status) }),
            _ => TypedResults.Problem(title: RegistrationText.TooManyForPlate.ToString(), statusCode: StatusCodes.Status429TooManyRequests),
        };
    }

    // A lost receipt: the plate, the document and the phone given with the registration. Every miss
    // answers the same 404 whether the document number is known or not (TenantRegistration.RecoverReceiptAsync).
    private static async Task<Results<Ok<ReceiptStatusDto>, ValidationProblem, ProblemHttpResult>> Recover(
        ReceiptRecoveryRequest body, HttpContext http, TenantRegistration registrations, CancellationToken ct)
    {
        var errors = new Dictionary<string, Bilingual>();
        var found = await registrations.RecoverReceiptAsync(body.DoorplateCode,
            new RegistrationInput(body.DoorplateCode, null, null, body.IdNumber, body.Phone, null, null, null, null, body.DocumentType, body.Nationality), errors, ct);
        if (errors.Count > 0) return ValidationProblems.For(errors, RegistrationText.ValidationTitle);
        if (found.Registration is { } registration) return TypedResults.Ok(registration.AsReceiptDto(Languages.Of(http.Request)));
        if (found.RetryAfter is { } wait)
        {
            Hosting.RetryAfter.Set(http.Response, wait);
            return TypedResults.Problem(title: RegistrationText.RecoveryTooManyTries.ToString(), statusCode: StatusCodes.Status429TooManyRequests);
        }
        return TypedResults.Problem(title: RegistrationText.RecoveryNotFound.ToString(), statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<ReceiptStatusDto>, ProblemHttpResult>> Receipt(
        string receipt, string? phone, HttpContext http, TenantRegistration registrations, CancellationToken ct)
    {
        var found = await registrations.FindByReceiptAsync(receipt, phone, ct);
        return found.Registration is { } registration
            ? TypedResults.Ok(registration.AsReceiptDto(Languages.Of(http.Request)))
            : found.Refusal(http.Response);
    }

    private static async Task<Results<Ok<ReceiptStatusDto>, ValidationProblem, ProblemHttpResult>> MoveOut(
        string receipt, TenantMoveOutRequest body, HttpContext http, TenantRegistration registrations, CancellationToken ct)
    {
        var found = await registrations.FindByReceiptAsync(receipt, body.Phone, ct);
        if (found.Registration is not { } registration) return found.Refusal(http.Response);
        var errors = await registrations.MoveOutAsync(registration, body.Date, ct);
        if (errors.Count > 0) return ValidationProblems.For(errors, RegistrationText.ValidationTitle);
        return TypedResults.Ok(registration.AsReceiptDto(Languages.Of(http.Request)));
    }

    public static RegistrationCreatedDto AsCreatedDto(this ResidenceRegistration r) =>
        new(r.Id, RegistrationReceipt.Format(r.Receipt), SnakeCaseEnum.ToCode(r.Status));

    public static ReceiptStatusDto AsReceiptDto(this ResidenceRegistration r, Language language) =>
        new(RegistrationReceipt.Format(r.Receipt), SnakeCaseEnum.ToCode(r.Status),
            (r.EndReason == EndReason.Superseded ? RegistrationText.Superseded : RegistrationText.Statuses[r.Status]).In(language),
            r.Building!.Address!.FullText, r.Room?.Number ?? r.RoomLabel, r.MoveInDate, r.MoveOutDate, r.SubmittedAt, r.ConfirmedAt, r.Late,
            r.RejectionText(language), r.RejectionCode is { } code ? SnakeCaseEnum.ToCode(code) : null,
            r.EndReason is { } end ? SnakeCaseEnum.ToCode(end) : null, r.PoliceReportDueAt);
}
