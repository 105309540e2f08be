using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;

namespace SmartDoorplate.Registrations;

// The audit entries are the caller's to append after saving: rows are locked before the audit
// chain's lock everywhere, so two transactions never wait on each other in opposite orders.
public sealed record ConfirmationEffects(bool NameUpdated, bool PhoneUpdated, IReadOnlyList<Guid> Superseded, IReadOnlyList<AuditEntry> Audit);

// What confirming a registration does besides changing its status, whoever confirms it (the landlord,
// an officer, or the landlord entering it on the tenant's behalf). Runs inside the caller's
// transaction and leaves the tracked changes for the caller to save.
public static class RegistrationConfirmation
{
    public static async Task<ConfirmationEffects> ApplyAsync(
        SmartDoorplateDb db, ResidenceRegistration registration, Person person, DateTimeOffset now, CancellationToken ct)
    {
        // Confirmed details become the person's: someone vouched for them. Until then an anonymous
        // submission with a known ID number must not rename anyone or redirect their phone.
        var nameUpdated = registration.SubmittedName is { } name && name != person.Name;
        if (nameUpdated) person.Name = registration.SubmittedName!;
        var phoneUpdated = registration.ContactPhoneIndex is { } phoneIndex && registration.ContactPhoneCipher is not null
            && !phoneIndex.AsSpan().SequenceEqual(person.PhoneIndex);
        if (phoneUpdated)
        {
            person.PhoneCipher = registration.ContactPhoneCipher!;
            person.PhoneIndex = registration.ContactPhoneIndex!;
        }

        // One person lives in one place: their other open registrations end here. Those may be in
        // buildings the confirming landlord cannot see, so the scope filters are bypassed for this
        // update only; nothing of those rows is returned to the caller beyond their ids in the audit.
        var others = await db.Registrations.IgnoreQueryFilters()
            .Where(r => r.PersonId == person.Id && r.Id != registration.Id
                && (r.Status == RegistrationStatus.Submitted || r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified))
            .ToListAsync(ct);
        var personId = person.Id.ToString("D");
        var superseded = others.Select(o => o.Id).ToList();
        List<AuditEntry> entries =
        [
            new(AuditActions.RegistrationConfirmed, "person", personId, Details: new
            {
                registration = registration.Id,
                channel = SnakeCaseEnum.ToCode(registration.Channel),
                nameUpdated,
                phoneUpdated,
                superseded,
            }),
        ];
        foreach (var other in others)
        {
            other.TrySupersede(registration.MoveInDate, now);
            entries.Add(new(AuditActions.RegistrationSuperseded, "person", personId, Details: new { registration = other.Id, by = registration.Id }));
        }
        return new ConfirmationEffects(nameUpdated, phoneUpdated, superseded, entries);
    }
}
