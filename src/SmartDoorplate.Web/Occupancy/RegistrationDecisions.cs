using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Occupancy;

public abstract record DecisionOutcome
{
    public sealed record Done(ResidenceRegistration Registration) : DecisionOutcome;
    public sealed record NotFound : DecisionOutcome;
    public sealed record Stale : DecisionOutcome;
    public sealed record WrongState(Bilingual Title) : DecisionOutcome;
    public sealed record Invalid(Dictionary<string, Bilingual> Errors) : DecisionOutcome;
}

// The decisions taken on a tenant's registration after it is submitted — confirm, reject, verify,
// move-out — shared by the JSON API and the landlord pages. The registration is read through the
// scope filters, so another landlord's (or another station's) registration is simply not found.
// `version` is the xmin the caller last saw, when it sent one; a concurrent change is caught either way.
public sealed partial class RegistrationDecisions(SmartDoorplateDb db, AuditTrail audit, TimeProvider clock)
{
    public const int MaxRejectionTextLength = 200;

    private long ActorId => db.Scope.UserId ?? throw new InvalidOperationException("Decisions need a signed-in caller.");

    public Task<DecisionOutcome> ConfirmAsync(Guid id, uint? version, CancellationToken ct) =>
        DecideAsync(id, version, async (registration, now) =>
        {
            if (!registration.TryConfirm(ActorId, now)) return Refuse(OccupancyText.OnlySubmittedCanBeConfirmed(registration.Status));
            // The person is the registration's own, visible through it; read without the filters so
            // that the confirmation never depends on how the person filter is phrased.
            var person = await db.Persons.IgnoreQueryFilters().FirstAsync(p => p.Id == registration.PersonId, ct);
            var effects = await RegistrationConfirmation.ApplyAsync(db, registration, person, now, ct);
            return Proceed([.. effects.Audit]);
        }, ct);

    public Task<DecisionOutcome> RejectAsync(Guid id, string? reason, string? text, uint? version, CancellationToken ct)
    {
        var errors = ValidateRejection(reason, text, out var code, out var explanation);
        if (errors.Count > 0) return Task.FromResult<DecisionOutcome>(new DecisionOutcome.Invalid(errors));
        return DecideAsync(id, version, (registration, now) => Task.FromResult(
            registration.TryReject(code, explanation, now)
                ? Proceed([new(AuditActions.RegistrationRejected, "person", registration.PersonId.ToString("D"),
                    Details: new { registration = registration.Id, reason = SnakeCaseEnum.ToCode(code), text = explanation })])
                : Refuse(OccupancyText.OnlySubmittedCanBeRejected(registration.Status))), ct);
    }

    public Task<DecisionOutcome> VerifyAsync(Guid id, uint? version, CancellationToken ct) =>
        DecideAsync(id, version, (registration, now) => Task.FromResult(
            registration.TryVerify(ActorId, now)
                ? Proceed([new(AuditActions.RegistrationVerified, "person", registration.PersonId.ToString("D"), Details: new { registration = registration.Id })])
                : Refuse(OccupancyText.OnlyConfirmedCanBeVerified(registration.Status))), ct);

    public Task<DecisionOutcome> MoveOutAsync(Guid id, string? date, uint? version, CancellationToken ct) =>
        DecideAsync(id, version, (registration, now) =>
        {
            if (!registration.IsOpen) return Task.FromResult(Refuse(OccupancyText.OnlyOpenCanMoveOut(registration.Status)));
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var errors = MoveOutRules.Validate(registration, date, today, out var moveOut);
            if (errors.Count > 0) return Task.FromResult(Transition<DecisionOutcome>.Refused(new DecisionOutcome.Invalid(errors)));
            registration.TryMoveOut(moveOut, now);
            return Task.FromResult(Proceed([new(AuditActions.RegistrationMovedOut, "person", registration.PersonId.ToString("D"), Details: new
            {
                registration = registration.Id,
                by = db.Scope.Kind == Accounts.ScopeKind.Landlord ? "landlord" : "police",
                date = moveOut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            })]));
        }, ct);

    // `reason` is a code of RejectionCode. A client that sends only free text there is taken as
    // "other" with that text: the field's name alone does not tell a client it wants a code.
    public static Dictionary<string, Bilingual> ValidateRejection(string? reason, string? text, out RejectionCode code, out string? explanation)
    {
        var errors = new Dictionary<string, Bilingual>();
        explanation = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        var reasonText = reason?.Trim() ?? "";
        if (!SnakeCaseEnum.TryParse(reasonText, out code) || SnakeCaseEnum.ToCode(code) != reasonText.ToLowerInvariant())
        {
            code = RejectionCode.Other;
            if (reasonText.Length == 0 || explanation is not null)
            {
                errors["reason"] = OccupancyText.RejectionReasonRequired;
                return errors;
            }
            explanation = reasonText;
        }

        if (code == RejectionCode.Other && explanation is null) errors["text"] = OccupancyText.RejectionExplain;
        else if (explanation is { Length: > MaxRejectionTextLength }) errors["text"] = OccupancyText.RejectionTextTooLong.Format(MaxRejectionTextLength);
        else if (explanation is not null && !PlainText().IsMatch(explanation)) errors["text"] = OccupancyText.RejectionTextCharacters;
        return errors;
    }

    private static Transition<DecisionOutcome> Refuse(Bilingual title) => new DecisionOutcome.WrongState(title);

    private static Transition<DecisionOutcome> Proceed(IReadOnlyList<AuditEntry> audit) => Transition<DecisionOutcome>.Made(audit);

    private async Task<DecisionOutcome> DecideAsync(
        Guid id, uint? version, Func<ResidenceRegistration, DateTimeOffset, Task<Transition<DecisionOutcome>>> decide, CancellationToken ct)
    {
        var result = await AuditedChange.RunAsync(db, audit, ct => db.Registrations.Include(r => r.Room).FirstOrDefaultAsync(r => r.Id == id, ct),
            r => r.Version, version, VersionRule.Optional, registration => decide(registration, clock.GetUtcNow()), ct);
        return result.State switch
        {
            ChangeState.Done => new DecisionOutcome.Done(result.Entity!),
            ChangeState.NotFound => new DecisionOutcome.NotFound(),
            ChangeState.Refused => result.Refusal!,
            _ => new DecisionOutcome.Stale(),
        };
    }

    [GeneratedRegex(@"^[^<>\p{Cc}]*$")]
    private static partial Regex PlainText();
}
