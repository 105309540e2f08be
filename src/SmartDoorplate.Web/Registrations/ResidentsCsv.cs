using Npgsql;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Loading.Tables;
using SmartDoorplate.Localization;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Registrations;

// residents.csv of a data set (`buildingCode,room,name,idNumber,phone,moveInDate,moveOutDate,
// reason,employer,status`): one person per ID number and one registration per row, entered with
// channel `import`. ID numbers and phones are validated, then stored only encrypted with a blind
// index, exactly as a scan registration stores them. Runs inside the caller's transaction.
public static class ResidentsCsv
{
    private static readonly RegistrationStatus[] ImportableStatuses =
        [RegistrationStatus.Submitted, RegistrationStatus.Confirmed, RegistrationStatus.Verified, RegistrationStatus.Ended];

    private sealed record ResidentRow(
        int Line, string BuildingCode, string? Room, string Name, ResidentIdNumber IdNumber, string Phone,
        DateOnly MoveIn, DateOnly? MoveOut, ResidenceReason Reason, string? Employer, RegistrationStatus Status);

    public sealed record BuildingContext(long Id, long? OwnerId, long? OfficerId, Dictionary<string, long> RoomIds);

    private sealed record PersonRow(Guid Id, ResidentRow First);

    public static async Task<CsvImportResult> ImportAsync(
        NpgsqlConnection connection, PersonalDataProtector protector, string path, TimeProvider clock,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(ChinaTime.Offset).DateTime);
        using var file = CsvFile.Open(path, "buildingCode", "room", "name", "idNumber", "phone", "moveInDate", "moveOutDate", "reason", "employer", "status");
        var rows = ReadRows(file, today);

        var buildings = await RegistrationsSql.BuildingsForImportAsync(connection, rows.Select(r => r.BuildingCode).Distinct().ToArray(), cancellationToken);
        var persons = new Dictionary<string, PersonRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!buildings.ContainsKey(row.BuildingCode)) file.Problem(row.Line, $"buildingCode '{row.BuildingCode}' is not a known building");
            if (persons.TryGetValue(row.IdNumber.Value, out var person))
            {
                // The same person moving between rooms is fine; the same ID under another name is a data error.
                if (person.First.Name != row.Name) file.Problem(row.Line, $"the ID number of line {person.First.Line} with another name");
            }
            else
            {
                persons[row.IdNumber.Value] = new PersonRow(Guid.CreateVersion7(), row);
            }
        }

        var existing = await RegistrationsSql.ExistingPersonsAsync(connection, protector, persons.Values.Select(p => p.First.IdNumber.Value), cancellationToken);
        foreach (var (idNumber, personId) in existing) persons[idNumber] = persons[idNumber] with { Id = personId };
        if (file.ProblemCount > 0) return new CsvImportResult(0, file.Problems);

        await BulkCopy.CopyAsync(connection, new PersonsCopy(explicitCreatedAt: false),
            persons.Values.Where(p => !existing.ContainsKey(p.First.IdNumber.Value)).Select(person => new PersonsCopy.Row(
                person.Id, person.First.Name,
                protector.Encrypt(person.First.IdNumber.Value), protector.BlindIndex(person.First.IdNumber.Value),
                protector.Encrypt(person.First.Phone), protector.BlindIndex(person.First.Phone),
                person.First.IdNumber.Sex == Analytics.Identity.Sex.Male ? Sex.Male : Sex.Female,
                person.First.IdNumber.BirthDate, person.First.IdNumber.RegionCode)),
            persons.Count - existing.Count, "writing persons", progress, cancellationToken);

        var receipts = new HashSet<string>(StringComparer.Ordinal);
        var written = await BulkCopy.CopyAsync(connection, new RegistrationsCopy(),
            rows.Select(row => Registration(row, buildings[row.BuildingCode], persons[row.IdNumber.Value].Id, receipts, now)),
            rows.Count, "writing registrations", progress, cancellationToken);
        // Imported people on the watch list raise their alerts like people who register themselves.
        await Policing.WatchList.WatchListMatching.RaiseForAllAsync(connection, now, cancellationToken);
        return new CsvImportResult((int)written, []);
    }

    private static List<ResidentRow> ReadRows(CsvFile file, DateOnly today)
    {
        var rows = new List<ResidentRow>();
        while (file.Read())
        {
            var buildingCode = file.Required("buildingCode", 40);
            var room = file.Text("room");
            if (room is { Length: > 20 }) file.Problem("'room' is longer than 20 characters");
            var name = file.Required("name", 50);
            var moveIn = file.Date("moveInDate", required: true);
            var moveOut = file.Date("moveOutDate", required: false);
            var reason = file.Code<ResidenceReason>("reason");
            var employer = file.Text("employer");
            if (employer is { Length: > 100 }) file.Problem("'employer' is longer than 100 characters");
            var status = file.Code("status", ImportableStatuses);

            ResidentIdNumber? idNumber = null;
            var idValidation = ResidentIdNumber.Validate(file.Text("idNumber"), today);
            if (idValidation.IsValid) idNumber = idValidation.Number;
            else file.Problem($"'idNumber' is not a valid resident ID number ({idValidation.Error})");

            var phone = MobilePhone.Validate(file.Text("phone"));
            if (!phone.IsValid) file.Problem($"'phone' is not a mainland mobile number ({phone.Error})");

            if (moveIn is not null && moveOut is not null && moveOut < moveIn) file.Problem("'moveOutDate' is before 'moveInDate'");
            if (status is not null && (status == RegistrationStatus.Ended) != (moveOut is not null))
            {
                file.Problem("'moveOutDate' must be given exactly when the status is 'ended'");
            }

            if (buildingCode is not null && name is not null && idNumber is not null && phone.IsValid && moveIn is not null
                && reason is not null && status is not null && room is not { Length: > 20 } && employer is not { Length: > 100 })
            {
                rows.Add(new ResidentRow(file.Line, buildingCode, room, name, idNumber, phone.Number, moveIn.Value, moveOut,
                    reason.Value, employer, status.Value));
            }
        }

        return rows;
    }

    private sealed record Times(DateTimeOffset Submitted, DateTimeOffset? Confirmed, DateTimeOffset? Verified, DateTimeOffset? Ended);

    // A submission on the move-in day or within two days after, confirmation by the landlord hours
    // later and police verification a day or two after that: the steps the status implies, never
    // in the future. Derived from the line number, so reloading gives the same times.
    private static Times Timeline(ResidentRow row, DateTimeOffset now)
    {
        DateTimeOffset AtMostNow(DateTimeOffset t) => t > now ? now : t;
        var moveIn = new DateTimeOffset(row.MoveIn.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        var submitted = AtMostNow(moveIn.AddDays(row.Line % 3).AddHours(8).AddMinutes(row.Line * 37 % 720));
        DateTimeOffset? confirmed = row.Status is RegistrationStatus.Confirmed or RegistrationStatus.Verified or RegistrationStatus.Ended
            ? AtMostNow(submitted.AddHours(2 + row.Line % 30))
            : null;
        DateTimeOffset? verified = row.Status == RegistrationStatus.Verified ? AtMostNow(confirmed!.Value.AddHours(20 + row.Line % 40)) : null;
        DateTimeOffset? ended = row.MoveOut is { } moveOut
            ? AtMostNow(new DateTimeOffset(moveOut.ToDateTime(new TimeOnly(12, 0)), ChinaTime.Offset))
            : null;
        if (ended is not null && submitted > ended) submitted = ended.Value;
        if (ended is not null && confirmed > ended) confirmed = ended;
        return new Times(submitted.ToUniversalTime(), confirmed?.ToUniversalTime(), verified?.ToUniversalTime(), ended?.ToUniversalTime());
    }

    // Entered through the import channel, never late; a room missing from the building's room list is
    // kept as the tenant wrote it. Receipts are unique within the file.
    private static RegistrationsCopy.Row Registration(ResidentRow row, BuildingContext building, Guid personId, HashSet<string> receipts, DateTimeOffset now)
    {
        var roomId = row.Room is not null && building.RoomIds.TryGetValue(row.Room, out var id) ? id : (long?)null;
        var times = Timeline(row, now);
        string receipt;
        do receipt = RegistrationReceipt.New(); while (!receipts.Add(receipt));
        return new RegistrationsCopy.Row(
            Guid.CreateVersion7(), receipt, personId, building.Id, roomId, roomId is null ? row.Room : null,
            row.MoveIn, row.MoveOut, row.Reason, row.Employer, row.Status, RegistrationChannel.Import, Late: false, times.Submitted,
            times.Confirmed, times.Confirmed is null ? null : building.OwnerId,
            times.Verified, times.Verified is null ? null : building.OfficerId,
            RejectedAt: null, RejectionReason: null, times.Ended);
    }
}
