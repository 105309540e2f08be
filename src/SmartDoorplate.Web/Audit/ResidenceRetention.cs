using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Audit;

// What a retention run would do, without personal data: ids and counts only.
public sealed record RetentionPlan(
    DateOnly EndedBefore,
    IReadOnlyList<Guid> PersonIds,
    DateOnly AuditKeptSince,
    long AuditEventsPastKeepPeriod);

// Anonymises persons whose every registration ended (moved out, superseded or rejected) more than
// Retention:AnonymiseResidenceAfterYears ago. The person row and the registrations stay, so that
// counts by building, date, sex, birth year and origin region still add up; what could identify the
// person goes: name, ID number, phone (cipher and blind index), exact birth date, employer.
//
// Audit rows are never deleted here, or anywhere in the app: the hash chain must stay verifiable.
// Moving audit events older than Retention:KeepAuditYears to an archive (a detached partition, a
// dump with its head hash) is an operator task; the dry run says how many there are.
public sealed class ResidenceRetention(
    SmartDoorplateDb db, AuditTrail trail, PersonalDataProtector protector, IOptions<RetentionOptions> options, TimeProvider clock)
{
    public const string AnonymisedName = "已匿名";

    public async Task<RetentionPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var endedBefore = Cutoff(options.Value.AnonymiseResidenceAfterYears);
        var personIds = await Eligible(endedBefore).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(cancellationToken);
        var auditKeptSince = Cutoff(options.Value.KeepAuditYears);
        var auditPastKeep = await db.AuditEvents.LongCountAsync(e => e.At < StartOfDay(auditKeptSince), cancellationToken);
        return new RetentionPlan(endedBefore, personIds, auditKeptSince, auditPastKeep);
    }

    // Batches of Retention:BatchSize, each in one transaction with its audit event. Every run is
    // audited, also one that found nothing.
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var endedBefore = Cutoff(options.Value.AnonymiseResidenceAfterYears);
        var batchSize = options.Value.BatchSize;
        var total = 0;
        // Each batch goes on after the last id of the one before: starting from the first person
        // every time walked all persons once per batch, and at city scale (2 million persons, a first
        // run with 30,000 to anonymise) that kept a core busy for half an hour after every start.
        Guid? after = null;
        while (true)
        {
            var eligible = Eligible(endedBefore);
            if (after is { } last) eligible = eligible.Where(p => p.Id > last);
            var candidates = await eligible.OrderBy(p => p.Id).Select(p => p.Id).Take(batchSize).ToListAsync(cancellationToken);
            if (candidates.Count == 0 && total > 0) break;
            total += await AnonymiseAsync(candidates, endedBefore, cancellationToken);
            if (candidates.Count < batchSize) break;
            after = candidates[^1];
        }
        return total;
    }

    private async Task<int> AnonymiseAsync(List<Guid> candidates, DateOnly endedBefore, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked, then checked again: a registration inserted meanwhile (a tenant moving back) takes a
        // key-share lock on its person, so it either committed before this check or waits for the commit.
        var ids = candidates.ToArray();
        await AuditSql.LockPersonsAsync(db, ids, cancellationToken);
        var persons = await Eligible(endedBefore).Where(p => candidates.Contains(p.Id)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var person in persons)
        {
            person.Name = AnonymisedName;
            person.IdNumberCipher = protector.Encrypt("");
            person.PhoneCipher = protector.Encrypt("");
            // Random, so that nothing matches them any more and the unique index still holds.
            person.IdNumberIndex = RandomNumberGenerator.GetBytes(32);
            person.PhoneIndex = RandomNumberGenerator.GetBytes(32);
            person.BirthDate = new DateOnly(person.BirthDate.Year, 1, 1);
            person.AnonymisedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        var anonymisedIds = persons.Select(p => p.Id).ToList();
        // Each registration also keeps the name and phone given with it (until a confirmation copied
        // them to the person): they go with the person's own.
        await db.Registrations.Where(r => anonymisedIds.Contains(r.PersonId))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Employer, (string?)null)
                .SetProperty(r => r.SubmittedName, (string?)null)
                .SetProperty(r => r.ContactPhoneCipher, (byte[]?)null)
                .SetProperty(r => r.ContactPhoneIndex, (byte[]?)null), cancellationToken);
        await trail.AppendAsync(new AuditEntry(AuditActions.RetentionAnonymise, Details: new
        {
            count = anonymisedIds.Count,
            endedBefore = endedBefore.ToString("yyyy-MM-dd"),
            personIds = anonymisedIds,
        }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return anonymisedIds.Count;
    }

    // Not yet anonymised, and every registration over before the cutoff: moved out, or (without a
    // move-out date) ended by supersession or rejected. A person without any registration (a
    // submission that never completed) goes once the person row itself is that old.
    private IQueryable<Person> Eligible(DateOnly endedBefore)
    {
        var endedBeforeInstant = StartOfDay(endedBefore);
        // The scope filters are off: retention runs for the system, which sees everything anyway, and
        // the filters' EXISTS over buildings on every registration only slowed the plan.
        return db.Persons.IgnoreQueryFilters().Where(p => p.AnonymisedAt == null
            && db.Registrations.IgnoreQueryFilters().Where(r => r.PersonId == p.Id).All(r =>
                r.MoveOutDate != null
                    ? r.MoveOutDate < endedBefore
                    : (r.Status == RegistrationStatus.Ended && r.EndedAt < endedBeforeInstant)
                      || (r.Status == RegistrationStatus.Rejected && r.RejectedAt < endedBeforeInstant))
            && (db.Registrations.IgnoreQueryFilters().Any(r => r.PersonId == p.Id) || p.CreatedAt < endedBeforeInstant));
    }

    // Days are Beijing days.
    private DateOnly Cutoff(int years) =>
        DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaTime.Offset).DateTime).AddYears(-years);

    private static DateTimeOffset StartOfDay(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime();
}
