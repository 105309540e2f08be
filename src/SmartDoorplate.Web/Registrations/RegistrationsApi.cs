using System.Globalization;
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
    DateTimeOffset SubmittedAt, DateTimeOffset? ConfirmedAt, bool Late, string? RejectionReason, string? RejectionCode, string? EndReason);
public sealed record TenantMoveOutRequest(string? Phone, string? Date);
public sealed record ReceiptLookUpRequest(string? Phone);

public static class RegistrationsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapRegistrations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/registrations").WithTags("Registrations");
        group.MapPost("/", Submit).AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
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
        return app;
    }

    private static async Task<Results<Created<RegistrationCreatedDto>, Ok<RegistrationCreatedDto>, ValidationProblem, ProblemHttpResult>> Submit(
        RegistrationInput input, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, TenantRegistration registrations, CancellationToken ct)
    {
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 100 || idempotencyKey.Any(char.IsControl)))
            return ValidationProblems.For(new Dictionary<string, string[]> { [IdempotencyHeader] = [RegistrationText.IdempotencyKeyInvalid.ToString()] });

        var outcome = await registrations.SubmitAsync(input, RegistrationChannel.Api, idempotencyKey is null ? null : "api:" + idempotencyKey, ct);
        return outcome switch
        {
            SubmissionOutcome.Created c => TypedResults.Created($"/api/registrations/{c.Registration.Id}", c.Registration.AsCreatedDto()),
            SubmissionOutcome.Repeated r => TypedResults.Ok(r.Registration.AsCreatedDto()),
            SubmissionOutcome.Invalid i => ValidationProblem(i.Errors),
            SubmissionOutcome.PlateNotFound => TypedResults.Problem(title: RegistrationText.PlateUnknown.ToString(), statusCode: StatusCodes.Status404NotFound),
            SubmissionOutcome.KeyConflict => TypedResults.Problem(title: RegistrationText.IdempotencyConflict.ToString(), statusCode: StatusCodes.Status422UnprocessableEntity),
            _ => TypedResults.Problem(title: RegistrationText.TooManyForPlate.ToString(), statusCode: StatusCodes.Status429TooManyRequests),
        };
    }

    private static async Task<Results<Ok<ReceiptStatusDto>, ProblemHttpResult>> Receipt(
        string receipt, string? phone, HttpContext http, TenantRegistration registrations, CancellationToken ct)
    {
        var found = await registrations.FindByReceiptAsync(receipt, phone, ct);
        return found.Registration is { } registration
            ? TypedResults.Ok(registration.AsReceiptDto(Languages.Of(http.Request)))
            : ReceiptMiss(found, http);
    }

    // A wrong phone and an unknown receipt answer alike: 404, then 429 once the receipt typed has
    // had its tries for the hour.
    public static ProblemHttpResult ReceiptMiss(ReceiptLookUp found, HttpContext http)
    {
        if (found.RetryAfter is not { } wait)
            return TypedResults.Problem(title: RegistrationText.ReceiptNotFound.ToString(), statusCode: StatusCodes.Status404NotFound);
        RetryAfter.Set(http.Response, wait);
        return TypedResults.Problem(title: RegistrationText.ReceiptTooManyTries.ToString(), statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Results<Ok<ReceiptStatusDto>, ValidationProblem, ProblemHttpResult>> MoveOut(
        string receipt, TenantMoveOutRequest body, HttpContext http, TenantRegistration registrations, CancellationToken ct)
    {
        var found = await registrations.FindByReceiptAsync(receipt, body.Phone, ct);
        if (found.Registration is not { } registration) return ReceiptMiss(found, http);
        var errors = await registrations.MoveOutAsync(registration, body.Date, ct);
        if (errors.Count > 0) return ValidationProblem(errors);
        return TypedResults.Ok(registration.AsReceiptDto(Languages.Of(http.Request)));
    }

    public static ValidationProblem ValidationProblem(Dictionary<string, Bilingual> errors) =>
        ValidationProblems.For(errors, RegistrationText.ValidationTitle);

    public static RegistrationCreatedDto AsCreatedDto(this ResidenceRegistration r) =>
        new(r.Id, RegistrationReceipt.Format(r.Receipt), SnakeCaseEnum.ToCode(r.Status));

    public static ReceiptStatusDto AsReceiptDto(this ResidenceRegistration r, Language language) =>
        new(RegistrationReceipt.Format(r.Receipt), SnakeCaseEnum.ToCode(r.Status),
            (r.EndReason == EndReason.Superseded ? RegistrationText.Superseded : RegistrationText.Statuses[r.Status]).In(language),
            r.Building!.Address!.FullText, r.Room?.Number ?? r.RoomLabel, r.MoveInDate, r.MoveOutDate, r.SubmittedAt, r.ConfirmedAt, r.Late,
            RejectionText(r, language), r.RejectionCode is { } code ? SnakeCaseEnum.ToCode(code) : null,
            r.EndReason is { } end ? SnakeCaseEnum.ToCode(end) : null);

    // The tenant reads why in their language: the reason from the list, then the landlord's words.
    public static string? RejectionText(ResidenceRegistration r, Language language)
    {
        if (r.RejectionCode is not { } code) return r.RejectionReason;
        var reason = RegistrationText.RejectionCodes[code].In(language);
        return r.RejectionReason is null ? reason : reason + (language == Language.En ? ": " : "：") + r.RejectionReason;
    }
}

public static class MoveOutRules
{
    public static readonly Bilingual DateInvalid = new("请填写退租日期（年-月-日）", "Enter the move-out date (yyyy-MM-dd)");
    public static readonly Bilingual BeforeMoveIn = new("退租日期不能早于入住日期", "The move-out date cannot be before the move-in date");
    public static readonly Bilingual InFuture = new("退租日期不能晚于今天", "The move-out date cannot be after today");
    public static readonly Bilingual AlreadyEnded = new("此登记已结束", "This registration has already ended");

    public static Dictionary<string, Bilingual> Validate(ResidenceRegistration registration, string? dateInput, DateOnly today, out DateOnly date)
    {
        var errors = new Dictionary<string, Bilingual>();
        if (registration.Status is RegistrationStatus.Ended or RegistrationStatus.Rejected) errors["status"] = AlreadyEnded;
        if (!DateOnly.TryParseExact(dateInput?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            errors["date"] = DateInvalid;
        else if (date < registration.MoveInDate) errors["date"] = BeforeMoveIn;
        else if (date > today) errors["date"] = InFuture;
        return errors;
    }
}
