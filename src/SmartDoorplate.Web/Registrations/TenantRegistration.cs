using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Registrations;

public sealed class RegistrationOptions
{
    public const string Section = "Registrations";
    // Registering later than this after moving in marks the registration late (configurable per city rules).
    public int LateAfterDays { get; set; } = 3;
    // A submission the landlord has not confirmed this many days after it came in shows in the police queue.
    public int LandlordDeadlineDays { get; set; } = 3;
    // Submissions per doorplate per hour: a plate photographed and posted online must not flood a building.
    public int MaxSubmissionsPerPlatePerHour { get; set; } = 60;
    // Wrong phones per receipt per hour (ReceiptLookUpFailure); then the receipt answers 429 until the hour is over.
    public int MaxWrongPhonesPerReceiptPerHour { get; set; } = 5;
}

public static class RegistrationServices
{
    public static IServiceCollection AddTenantRegistration(this IServiceCollection services)
    {
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section);
        services.AddScoped<TenantRegistration>();
        return services;
    }
}

// A room of the building as a submission needs it: its number for the form's rule, its id for the row.
public sealed record RoomRef(long Id, string Number);

public abstract record SubmissionOutcome
{
    public sealed record Created(ResidenceRegistration Registration) : SubmissionOutcome;
    public sealed record Repeated(ResidenceRegistration Registration) : SubmissionOutcome;
    public sealed record Invalid(Dictionary<string, Bilingual> Errors) : SubmissionOutcome;
    public sealed record PlateNotFound : SubmissionOutcome;
    public sealed record BuildingNotFound : SubmissionOutcome;
    public sealed record KeyConflict : SubmissionOutcome;
    public sealed record Throttled : SubmissionOutcome;
    // The same person already has an open registration in this building, given with the same phone.
    public sealed record AlreadyRegistered(ResidenceRegistration Registration) : SubmissionOutcome;
}

// A tenant's self-registration by scan, shared by the form and the JSON API. Anonymous callers see
// nothing through the scope filters, so this class reads the plate and building with
// IgnoreQueryFilters and touches only what the submission needs.
public sealed class TenantRegistration(
    SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock, IOptions<RegistrationOptions> options)
{
    private const string UniqueViolation = "23505";

    // The registration form and the submission both start from the plate's public code: the un-revoked
    // plate of that code, whoever asks (a tenant has no scope). The submission's compiled query
    // (PlateForSubmissionQuery) writes the same condition out, as it cannot call this: change both.
    private IQueryable<Doorplate> CurrentPlate(string normalizedCode) =>
        db.Doorplates.IgnoreQueryFilters().AsNoTracking().Where(d => d.Code == normalizedCode && d.RevokedAt == null);

    public async Task<(long BuildingId, string[] Rooms)?> FindPlateAsync(string? doorplateCode, CancellationToken ct)
    {
        var code = DoorplateCode.Normalize(doorplateCode);
        if (code is null) return null;
        // One round trip: the plate and its building's rooms together.
        var plate = await CurrentPlate(code)
            .Select(d => new
            {
                d.BuildingId,
                Rooms = db.Rooms.IgnoreQueryFilters().Where(r => r.BuildingId == d.BuildingId && r.RetiredAt == null)
                    .OrderBy(r => r.Floor).ThenBy(r => r.Number).Select(r => r.Number).ToArray(),
            })
            .FirstOrDefaultAsync(ct);
        return plate is null ? null : (plate.BuildingId, plate.Rooms);
    }

    private sealed record PlateForSubmission(long BuildingId, RoomRef[] Rooms, int Recent);

    // The reads of every submission, compiled once: otherwise EF walks and hashes their expression trees
    // on each call to find them in its query cache. Side by side with the same code uncompiled
    // (registrations.sh's requests, alternating 10 s runs): about 20 % less of the app's CPU per registration.
    // The plate's condition is CurrentPlate's, written out: a compiled query cannot call it.
    private static readonly Func<SmartDoorplateDb, string, DateTimeOffset, CancellationToken, Task<PlateForSubmission?>> PlateForSubmissionQuery =
        EF.CompileAsyncQuery((SmartDoorplateDb db, string code, DateTimeOffset lastHour, CancellationToken ct) =>
            db.Doorplates.IgnoreQueryFilters().AsNoTracking().Where(d => d.Code == code && d.RevokedAt == null)
                .Select(d => new PlateForSubmission(
                    d.BuildingId,
                    db.Rooms.IgnoreQueryFilters().Where(r => r.BuildingId == d.BuildingId && r.RetiredAt == null)
                        .Select(r => new RoomRef(r.Id, r.Number)).ToArray(),
                    db.Registrations.IgnoreQueryFilters().Count(r => r.BuildingId == d.BuildingId && r.SubmittedAt > lastHour
                        && r.Channel != RegistrationChannel.Import && r.Channel != RegistrationChannel.Landlord)))
                .FirstOrDefault());

    private static readonly Func<SmartDoorplateDb, byte[], CancellationToken, Task<Person?>> PersonByIdNumberQuery =
        EF.CompileAsyncQuery((SmartDoorplateDb db, byte[] idIndex, CancellationToken ct) =>
            db.Persons.IgnoreQueryFilters().FirstOrDefault(p => p.IdNumberIndex == idIndex));

    private static readonly Func<SmartDoorplateDb, string, CancellationToken, Task<ResidenceRegistration?>> RegistrationByKeyQuery =
        EF.CompileAsyncQuery((SmartDoorplateDb db, string idempotencyKey, CancellationToken ct) =>
            db.Registrations.IgnoreQueryFilters().Include(r => r.Person).FirstOrDefault(r => r.IdempotencyKey == idempotencyKey));

    public async Task<SubmissionOutcome> SubmitAsync(
        RegistrationInput input, RegistrationChannel channel, string? idempotencyKey, CancellationToken ct)
    {
        // One connection for the whole submission rather than one from the pool per query.
        await db.Database.OpenConnectionAsync(ct);
        var code = DoorplateCode.Normalize(input.DoorplateCode);
        if (code is null) return new SubmissionOutcome.PlateNotFound();
        // One round trip before the transaction: the plate, its building's rooms (numbers for the
        // form's rule, ids for the row) and the plate's submissions in the last hour. The flood
        // limit reads committed rows only, inside a transaction or not.
        var plate = await PlateForSubmissionQuery(db, code, clock.GetUtcNow().AddHours(-1), ct);
        if (plate is null) return new SubmissionOutcome.PlateNotFound();
        return await SubmitValidatedAsync(input, plate.BuildingId, plate.Rooms, channel, idempotencyKey, enteredById: null, ct,
            throttled: plate.Recent >= options.Value.MaxSubmissionsPerPlatePerHour);
    }

    // A landlord registering a tenant who has no smartphone (often an elderly one): the same rules as
    // a scan, but the landlord vouches for it as they enter it, so it starts confirmed. The building
    // is looked up through the scope filters: a landlord can only enter tenants of their own buildings.
    public async Task<SubmissionOutcome> EnterForTenantAsync(
        long buildingId, RegistrationInput input, long landlordId, string? idempotencyKey, CancellationToken ct)
    {
        if (!await db.Buildings.AnyAsync(b => b.Id == buildingId, ct)) return new SubmissionOutcome.BuildingNotFound();
        var rooms = await db.Rooms.AsNoTracking()
            .Where(r => r.BuildingId == buildingId && r.RetiredAt == null)
            .Select(r => new RoomRef(r.Id, r.Number)).ToArrayAsync(ct);
        return await SubmitValidatedAsync(input, buildingId, rooms, RegistrationChannel.Landlord, idempotencyKey, landlordId, ct);
    }

    private async Task<SubmissionOutcome> SubmitValidatedAsync(
        RegistrationInput input, long buildingId, RoomRef[] rooms, RegistrationChannel channel, string? idempotencyKey,
        long? enteredById, CancellationToken ct, bool throttled = false)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var (valid, errors) = RegistrationRules.Validate(input, rooms.Select(r => r.Number).ToArray(), today);
        if (valid is null) return new SubmissionOutcome.Invalid(errors);

        var idIndex = protector.BlindIndex(PersonIndex.KeyOf(valid.Document));
        // Concurrent retries with one key, or a new person registering twice at once, collide on a
        // unique index; the loser starts over and then finds the winner's rows.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SubmitOnceAsync(valid, buildingId, rooms, channel, idempotencyKey, idIndex, enteredById, throttled, now, today, ct);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: UniqueViolation } && attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<SubmissionOutcome> SubmitOnceAsync(
        ValidRegistration valid, long buildingId, RoomRef[] rooms, RegistrationChannel channel, string? idempotencyKey, byte[] idIndex,
        long? enteredById, bool throttled, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The whole submission is one transaction that is retried as a whole: a savepoint around
        // SaveChanges would only cost two more round trips on the hottest write path.
        db.Database.AutoSavepointsEnabled = false;
        if (idempotencyKey is not null)
        {
            var existing = await RegistrationByKeyQuery(db, idempotencyKey, ct);
            if (existing is not null)
            {
                return existing.BuildingId == buildingId && existing.Person!.IdNumberIndex.SequenceEqual(idIndex)
                    ? new SubmissionOutcome.Repeated(existing)
                    : new SubmissionOutcome.KeyConflict();
            }
        }
        // Where it stood before the count moved into the plate query: after the field rules (a tenant
        // who mistyped hears about the field first) and after the key (a retry of an accepted
        // submission gets its receipt, not "too many").
        if (throttled) return new SubmissionOutcome.Throttled();

        var person = await PersonByIdNumberQuery(db, idIndex, ct);
        var phoneIndex = protector.BlindIndex(valid.Phone);
        if (person is not null && enteredById is null
            && await OpenRegistrationWithPhoneAsync(person, buildingId, phoneIndex, ct) is { } openHere)
        {
            // The tenant registering again (a lost receipt, a second scan) gets the first registration
            // back, not a second one for the landlord to sort out. Only with the same phone: with the
            // document number alone, anyone holding it could learn where its owner lives. A new
            // phone makes a new registration, which ends the old one when it is confirmed.
            await audit.AppendAsync(new AuditEntry(AuditActions.ReceiptRecovered, "person", person.Id.ToString("D"),
                Details: new { registration = openHere.Id, building = buildingId, via = "repeated_submission" }), ct);
            await transaction.CommitAsync(ct);
            return new SubmissionOutcome.AlreadyRegistered(openHere);
        }
        if (person is null)
        {
            person = new Person
            {
                Id = Guid.CreateVersion7(),
                Name = valid.Name,
                IdNumberCipher = protector.Encrypt(valid.Document.Number),
                IdNumberIndex = idIndex,
                DocumentType = valid.Document.Type,
                Nationality = valid.Document.Nationality,
                PhoneCipher = protector.Encrypt(valid.Phone),
                PhoneIndex = phoneIndex,
                Sex = valid.Sex,
                BirthDate = valid.BirthDate,
                OriginRegionCode = valid.OriginRegionCode,
                CreatedAt = now,
            };
            db.Persons.Add(person);
        }

        var reportDue = valid.Document.IsForeigner ? ForeignerReportDue(valid.MoveInDate) : (DateTimeOffset?)null;
        var roomId = valid.RoomNumber is null ? null : rooms.FirstOrDefault(r => r.Number == valid.RoomNumber)?.Id;
        var registration = new ResidenceRegistration
        {
            Id = Guid.CreateVersion7(),
            Receipt = RegistrationReceipt.New(),
            Person = person,
            BuildingId = buildingId,
            RoomId = roomId,
            RoomLabel = roomId is null ? valid.RoomNumber : null,
            MoveInDate = valid.MoveInDate,
            Reason = valid.Reason,
            Employer = valid.Employer,
            Status = RegistrationStatus.Submitted,
            Channel = channel,
            Late = reportDue is { } due ? now > due : today.DayNumber - valid.MoveInDate.DayNumber > options.Value.LateAfterDays,
            PoliceReportDueAt = reportDue,
            SubmittedAt = now,
            IdempotencyKey = idempotencyKey,
            ContactPhoneCipher = protector.Encrypt(valid.Phone),
            ContactPhoneIndex = phoneIndex,
            SubmittedName = valid.Name,
            EnteredById = enteredById,
        };
        db.Registrations.Add(registration);
        var confirmation = enteredById is { } landlordId && registration.TryConfirm(landlordId, now)
            ? await RegistrationConfirmation.ApplyAsync(db, registration, person, now, ct)
            : null;
        // The audit rows go with the person and registration in one SaveChanges (one round trip).
        audit.Stage(new AuditEntry(AuditActions.RegistrationSubmitted, "person", person.Id.ToString("D"),
            Details: new { registration = registration.Id, building = buildingId, channel = SnakeCaseEnum.ToCode(channel), late = registration.Late,
                document = SnakeCaseEnum.ToCode(valid.Document.Type) }));
        foreach (var entry in confirmation?.Audit ?? []) audit.Stage(entry);
        await db.SaveChangesAsync(ct);
        var watchAlerts = await Policing.WatchList.WatchListMatching.RaiseForRegistrationAsync(db, registration.Id, now, ct);
        foreach (var entry in Policing.WatchList.WatchListMatching.RaisedAudit(watchAlerts, registration)) await audit.AppendAsync(entry, ct);
        await transaction.CommitAsync(ct);
        return new SubmissionOutcome.Created(registration);
    }

    // 出境入境管理法 第三十九条: within 24 hours of moving in. The form takes a day, not an hour, so
    // the 24 hours are counted from the end of the move-in day (Guiyang time): nobody who moved in
    // that day is marked late before the 24 hours could have run out.
    public static DateTimeOffset ForeignerReportDue(DateOnly moveIn) =>
        new DateTimeOffset(moveIn.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).AddHours(24).ToUniversalTime();

    // The person's open registration in this building that was given with this phone, if any.
    private Task<ResidenceRegistration?> OpenRegistrationWithPhoneAsync(Person person, long buildingId, byte[] phoneIndex, CancellationToken ct) =>
        db.Registrations.IgnoreQueryFilters().Include(r => r.Building!).ThenInclude(b => b.Address).Include(r => r.Room)
            .Where(r => r.PersonId == person.Id && r.BuildingId == buildingId)
            .Where(r => r.Status == RegistrationStatus.Submitted || r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified)
            .Where(r => r.ContactPhoneIndex == phoneIndex || (r.ContactPhoneIndex == null && person.PhoneIndex == phoneIndex))
            .OrderByDescending(r => r.SubmittedAt)
            .FirstOrDefaultAsync(ct);

    // A lost receipt, found again on the plate's page with the document number and the phone given
    // with the registration: both must match, and every miss answers alike. Each miss counts against
    // the document number and against the phone typed (in the receipt look-ups' table, under keys
    // of their blind indexes that no receipt can take): once either has had its misses for the hour,
    // even a right pair waits, so neither a known phone nor a known document number can be used to
    // try the other. Audited whether it found something or was blocked.
    public async Task<ReceiptLookUp> RecoverReceiptAsync(
        string? doorplateCode, RegistrationInput input, Dictionary<string, Bilingual> errors, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var document = RegistrationRules.ValidateDocument(input, today, errors);
        var phone = Analytics.Identity.MobilePhone.Validate(input.Phone);
        if (!phone.IsValid) errors["phone"] = phone.Error == Analytics.Identity.MobilePhoneError.Empty ? RegistrationText.PhoneRequired : RegistrationText.PhoneInvalid;
        var plate = await FindPlateAsync(doorplateCode, ct);
        if (document is null || !phone.IsValid || plate is null) return ReceiptLookUp.Miss;

        var idIndex = protector.BlindIndex(PersonIndex.KeyOf(document));
        var phoneIndex = protector.BlindIndex(phone.Number);
        string[] keys = [RecoveryKey('d', idIndex), RecoveryKey('p', phoneIndex)];
        var now = clock.GetUtcNow();
        var windowStart = now - ReceiptWindow;
        var limit = options.Value.MaxWrongPhonesPerReceiptPerHour;
        var blockedSince = await db.ReceiptLookUpFailures.AsNoTracking()
            .Where(f => keys.Contains(f.Receipt) && f.WindowStartedAt > windowStart && f.Failures >= limit)
            .MaxAsync(f => (DateTimeOffset?)f.WindowStartedAt, ct);
        if (blockedSince is { } since) return new ReceiptLookUp(null, since + ReceiptWindow - now);

        var person = await PersonByIdNumberQuery(db, idIndex, ct);
        var registration = person is null ? null : await db.Registrations.IgnoreQueryFilters().AsNoTracking()
            .Include(r => r.Building!).ThenInclude(b => b.Address).Include(r => r.Room)
            .Where(r => r.PersonId == person.Id && r.BuildingId == plate.Value.BuildingId)
            .Where(r => r.ContactPhoneIndex == phoneIndex || (r.ContactPhoneIndex == null && person.PhoneIndex == phoneIndex))
            .OrderByDescending(r => r.SubmittedAt)
            .FirstOrDefaultAsync(ct);
        if (registration is not null)
        {
            await audit.AppendAsync(new AuditEntry(AuditActions.ReceiptRecovered, "person", person!.Id.ToString("D"),
                Details: new { registration = registration.Id, building = plate.Value.BuildingId, via = "plate_page" }), ct);
            return new ReceiptLookUp(registration, null);
        }

        foreach (var key in keys)
        {
            var failures = await RegistrationsSql.CountReceiptFailureAsync(db, key, now, windowStart, ct);
            if (failures == limit)
            {
                await audit.AppendAsync(new AuditEntry(AuditActions.ReceiptRecoveryBlocked, "building",
                    plate.Value.BuildingId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Details: new { failures = limit, by = key[0] == 'd' ? "document" : "phone", known = person is not null }), ct);
            }
        }
        return ReceiptLookUp.Miss;
    }

    // 'd' or 'p' and a colon, then 40 bits of the blind index in hex: the receipt column's 12
    // characters, and the colon keeps it apart from every receipt.
    private static string RecoveryKey(char kind, byte[] index) => $"{kind}:{Convert.ToHexString(index, 0, 5)}";

    // The tenant ends their own registration; receipt and phone were checked by FindByReceiptAsync.
    // Returns the field errors, none when the move-out was recorded.
    public async Task<Dictionary<string, Bilingual>> MoveOutAsync(ResidenceRegistration registration, string? dateInput, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var errors = MoveOutRules.Validate(registration, dateInput, today, out var date);
        if (errors.Count > 0) return errors;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        registration.TryMoveOut(date, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEntry(AuditActions.RegistrationMovedOut, "person", registration.PersonId.ToString("D"),
            Details: new { registration = registration.Id, by = "tenant", date = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }), ct);
        await transaction.CommitAsync(ct);
        return errors;
    }

    // Receipt + phone is the tenant's only key: both must match, and a miss says nothing about which.
    // Every miss counts against the receipt typed (ReceiptLookUpFailure), known or not; once it has
    // had its wrong phones for the hour, even the right phone waits, so guessing gains nothing.
    public async Task<ReceiptLookUp> FindByReceiptAsync(string? receipt, string? phone, CancellationToken ct)
    {
        var normalisedReceipt = RegistrationReceipt.Normalize(receipt);
        if (normalisedReceipt is null) return ReceiptLookUp.Miss;
        var now = clock.GetUtcNow();
        var windowStart = now - ReceiptWindow;
        var limit = options.Value.MaxWrongPhonesPerReceiptPerHour;
        var counted = await db.ReceiptLookUpFailures.AsNoTracking()
            .Where(f => f.Receipt == normalisedReceipt && f.WindowStartedAt > windowStart)
            .Select(f => new { f.Failures, f.WindowStartedAt })
            .FirstOrDefaultAsync(ct);
        if (counted is not null && counted.Failures >= limit)
            return new ReceiptLookUp(null, counted.WindowStartedAt + ReceiptWindow - now);

        var normalisedPhone = Analytics.Identity.MobilePhone.Validate(phone);
        if (normalisedPhone.IsValid)
        {
            var phoneIndex = protector.BlindIndex(normalisedPhone.Number!);
            var registration = await db.Registrations.IgnoreQueryFilters().Include(r => r.Building!).ThenInclude(b => b.Address).Include(r => r.Room)
                .Where(r => r.Receipt == normalisedReceipt)
                .Where(r => r.ContactPhoneIndex == phoneIndex || (r.ContactPhoneIndex == null && r.Person!.PhoneIndex == phoneIndex))
                .FirstOrDefaultAsync(ct);
            if (registration is not null) return new ReceiptLookUp(registration, null);
        }

        var failures = await RegistrationsSql.CountReceiptFailureAsync(db, normalisedReceipt, now, windowStart, ct);
        if (failures == 1)
        {
            // A new window: rows whose hour is over count nothing any more.
            await db.ReceiptLookUpFailures.Where(f => f.WindowStartedAt <= windowStart).ExecuteDeleteAsync(ct);
        }
        else if (failures == limit)
        {
            var registrationId = await db.Registrations.IgnoreQueryFilters().Where(r => r.Receipt == normalisedReceipt)
                .Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
            await audit.AppendAsync(new AuditEntry(AuditActions.ReceiptLookUpBlocked, AuditTargets.Registration, registrationId?.ToString("D"),
                Details: new { failures = limit, known = registrationId is not null }), ct);
        }
        return ReceiptLookUp.Miss;
    }

    private static readonly TimeSpan ReceiptWindow = TimeSpan.FromHours(1);
}
