using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Loading.Tables;
using SmartDoorplate.Privacy;

namespace SmartDoorplate.Loading.Seed;

// Writes the generated city table by table, in foreign-key order, with binary COPY inside the
// caller's transaction. Ids of identity columns are reserved up front (ReserveIdsAsync) so that rows
// can reference each other by arithmetic (building i has id first + i) instead of reading ids back.
internal sealed partial class CitySeedWriter(
    NpgsqlConnection connection,
    CityLayout layout,
    CitySeedOptions options,
    PersonalDataProtector protector,
    HashSet<long> takenIdNumbers,
    SeedProgress progress,
    DateTimeOffset now,
    CancellationToken cancellationToken)
{
    private const int PersonBatchSize = 8192;
    private const int PersonsPerInterleave = 4 * PersonBatchSize;

    // The tables the seed writes, in foreign-key order, which is also the order they are locked in.
    // LoadingSql checks every table name against its allow-list before it goes into a statement.
    private static readonly string[] SeededTables =
    [
        "districts", "police_stations", "community_grids", "users", "standard_addresses", "buildings",
        "doorplates", "rooms", "persons", "residence_registrations", "cases",
    ];

    private readonly CitySeedPeople people = new(options.Seed, layout, now);
    private readonly long idEpochMilliseconds = now.ToUnixTimeMilliseconds();
    private long[] districtIds = [];
    private long stationIdBase;
    private long gridIdBase;
    private long userIdBase;
    private long addressIdBase;
    private long buildingIdBase;
    private long roomIdBase;

    public static IReadOnlyList<string> Tables => SeededTables;

    public async Task WriteAllAsync()
    {
        await WriteDistrictsAsync();
        await WriteStationsAsync();
        await WriteGridsAsync();
        await WriteUsersAsync();
        await WriteAddressesAsync();
        await WriteBuildingsAsync();
        await WriteDoorplatesAsync();
        await WriteRoomsAsync();
        await WriteResidentsAsync();
        await WriteCasesAsync();
    }

    // Reuses a district that is already there (the pilot loads 520103): codes are unique, and the
    // pilot's boundary is left as the pilot drew it.
    private async Task WriteDistrictsAsync()
    {
        var step = progress.Begin("districts", layout.Districts.Count);
        var existing = await LoadingSql.DistrictIdsAsync(connection, layout.Districts.Select(d => d.Info.Code).ToArray(), cancellationToken);
        var missing = layout.Districts.Where(d => !existing.ContainsKey(d.Info.Code)).ToList();
        var first = await ReserveIdsAsync("districts", missing.Count);
        await using (var copy = new ChunkedBinaryCopy<DistrictsCopy.Row>(connection, new DistrictsCopy(explicitIds: true)))
        {
            for (var i = 0; i < missing.Count; i++)
            {
                await copy.WriteAsync(new DistrictsCopy.Row(missing[i].Info.Code, missing[i].Info.Name, CityLayout.Boundary(missing[i].Area), first + i), cancellationToken);
                existing[missing[i].Info.Code] = first + i;
                step.Advance();
            }
            await copy.CompleteAsync(cancellationToken);
        }
        districtIds = layout.Districts.Select(d => existing[d.Info.Code]).ToArray();
        step.Finish();
    }

    private async Task WriteStationsAsync() =>
        stationIdBase = await WriteRowsAsync("police_stations", new StationsCopy(explicitIds: true), layout.Stations.Count, (s, firstId) =>
        {
            var station = layout.Stations[s];
            var random = new SeedRandom(options.Seed, SeedStream.Account, s);
            var hotline = GuiyangLandline(ref random);
            var officerName = PersonName(ref random);
            // The officer's public work line, as printed on the scan page: a landline, not a mobile.
            var officerPhone = GuiyangLandline(ref random);
            return new StationsCopy.Row(station.Code, station.Name, districtIds[station.DistrictIndex], hotline, officerName, officerPhone,
                CityLayout.Boundary(station.Area), firstId + s);
        });

    private async Task WriteGridsAsync() =>
        gridIdBase = await WriteRowsAsync("community_grids", new GridsCopy(explicitIds: true), layout.Grids.Count, (g, firstId) =>
        {
            var grid = layout.Grids[g];
            return new GridsCopy.Row(grid.Code, grid.Name, stationIdBase + grid.StationIndex, VillageCode: null, CityLayout.Boundary(grid.Area), firstId + g);
        });

    // Reserves `count` ids of a seeded table and writes row(i, first id) for i = 0..count-1, as one progress step.
    private async Task<long> WriteRowsAsync<TRow>(string table, TableCopy<TRow> writer, int count, Func<int, long, TRow> row)
    {
        var step = progress.Begin(table, count);
        var firstId = await ReserveIdsAsync(table, count);
        await using var copy = new ChunkedBinaryCopy<TRow>(connection, writer);
        for (var i = 0; i < count; i++)
        {
            await copy.WriteAsync(row(i, firstId), cancellationToken);
            step.Advance();
        }
        await copy.CompleteAsync(cancellationToken);
        step.Finish();
        return firstId;
    }

    // One officer per station, one district officer per district, and the landlords who own
    // buildings. None has a password: these accounts exist for ownership and scope, not to sign in.
    private long PoliceUserId(int station) => userIdBase + station;
    private long LandlordUserId(int landlord) => userIdBase + layout.Stations.Count + layout.Districts.Count + landlord;

    private async Task WriteUsersAsync()
    {
        var total = layout.Stations.Count + layout.Districts.Count + layout.LandlordCount;
        var step = progress.Begin("users", total);
        userIdBase = await ReserveIdsAsync("users", total);
        await using var copy = new ChunkedBinaryCopy(connection,
            "copy users (id, user_name, display_name, role, station_id, district_id, failed_sign_ins, created_at) from stdin (format binary)");
        for (var u = 0; u < total; u++)
        {
            var random = new SeedRandom(options.Seed, SeedStream.Account, 1_000_000 + u);
            var districtOfficer = u - layout.Stations.Count;
            var landlord = districtOfficer - layout.Districts.Count;
            (string UserName, Role Role, long? StationId, long? DistrictId) user =
                u < layout.Stations.Count ? ($"city.police.{u + 1:D2}", Role.PoliceOfficer, stationIdBase + u, null)
                : landlord < 0 ? ($"city.district.{layout.Districts[districtOfficer].Info.Code}", Role.DistrictOfficer, null, districtIds[districtOfficer])
                : ($"city.landlord.{landlord + 1:D6}", Role.Landlord, null, null);
            var w = await copy.StartRowAsync(cancellationToken);
            await w.WriteAsync(userIdBase + u, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(user.UserName, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(PersonName(ref random), NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(SnakeCaseEnum.ToCode(user.Role), NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteNullableAsync(user.StationId, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteNullableAsync(user.DistrictId, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
            await w.WriteAsync(now - TimeSpan.FromDays(random.Uniform(0, CitySeedPeople.HistoryDays)), NpgsqlDbType.TimestampTz, cancellationToken);
            step.Advance();
        }
        await copy.CompleteAsync(cancellationToken);
        step.Finish();
    }

    private async Task WriteAddressesAsync()
    {
        var step = progress.Begin("standard_addresses", layout.Buildings.Length);
        addressIdBase = await ReserveIdsAsync("standard_addresses", layout.Buildings.Length);
        await using var copy = new ChunkedBinaryCopy(connection,
            "copy standard_addresses (id, district_code, street, community, road, number, postcode, full_text) from stdin (format binary)");
        for (var b = 0; b < layout.Buildings.Length; b++)
        {
            var building = layout.Buildings[b];
            var grid = layout.Grids[building.Grid];
            var station = layout.Stations[grid.StationIndex];
            var district = layout.Districts[station.DistrictIndex].Info;
            var road = grid.Roads[building.Road];
            var number = $"{building.HouseNumber}号";
            var w = await copy.StartRowAsync(cancellationToken);
            await w.WriteAsync(addressIdBase + b, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(district.Code, NpgsqlDbType.Char, cancellationToken);
            await w.WriteAsync(station.Street, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(grid.Community, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(road, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(number, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(district.Postcode, NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(StandardAddress.Compose(district.Name, station.Street, grid.Community, road, number), NpgsqlDbType.Varchar, cancellationToken);
            step.Advance();
        }
        await copy.CompleteAsync(cancellationToken);
        step.Finish();
    }

    private DateTimeOffset BuildingCreatedAt(in PlannedBuilding b) => now - TimeSpan.FromDays(b.CreatedDaysAgo) - TimeSpan.FromMinutes(b.Cell % 600);

    private async Task WriteBuildingsAsync()
    {
        var step = progress.Begin("buildings", layout.Buildings.Length);
        buildingIdBase = await ReserveIdsAsync("buildings", layout.Buildings.Length);
        await using var copy = new ChunkedBinaryCopy(connection,
            "copy buildings (id, code, address_id, grid_id, footprint, entrance, floors, use, owner_id, created_at) from stdin (format binary)");
        for (var b = 0; b < layout.Buildings.Length; b++)
        {
            var building = layout.Buildings[b];
            var district = layout.Districts[layout.Stations[layout.Grids[building.Grid].StationIndex].DistrictIndex].Info;
            var w = await copy.StartRowAsync(cancellationToken);
            await w.WriteAsync(buildingIdBase + b, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync($"CITY-{district.Code}-{b + 1:D6}", NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteAsync(addressIdBase + b, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(gridIdBase + building.Grid, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(CityLayout.Footprint(building), NpgsqlDbType.Geometry, cancellationToken);
            await w.WriteAsync(Geo.Factory.CreatePoint(CityLayout.Entrance(building)), NpgsqlDbType.Geometry, cancellationToken);
            await w.WriteAsync(building.Floors, NpgsqlDbType.Integer, cancellationToken);
            await w.WriteAsync(SnakeCaseEnum.ToCode(building.Use), NpgsqlDbType.Varchar, cancellationToken);
            await w.WriteNullableAsync(building.Owner < 0 ? (long?)null : LandlordUserId(building.Owner), NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(BuildingCreatedAt(building), NpgsqlDbType.TimestampTz, cancellationToken);
            step.Advance();
        }
        await copy.CompleteAsync(cancellationToken);
        step.Finish();
    }

    // One current plate per building; about 2 % were reissued once, so their first plate is revoked.
    private async Task WriteDoorplatesAsync()
    {
        var step = progress.Begin("doorplates", layout.Buildings.Length);
        var plates = new List<(int Building, int Version, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt)>(2);
        var reissued = 0;
        for (var b = 0; b < layout.Buildings.Length; b++)
            if (new SeedRandom(options.Seed, SeedStream.Doorplate, b).Chance(0.02)) reissued++;
        var firstId = await ReserveIdsAsync("doorplates", layout.Buildings.Length + reissued);
        var next = firstId;
        await using var copy = new ChunkedBinaryCopy(connection, "copy doorplates (id, building_id, code, version, issued_at, revoked_at) from stdin (format binary)");
        for (var b = 0; b < layout.Buildings.Length; b++)
        {
            var random = new SeedRandom(options.Seed, SeedStream.Doorplate, b);
            var createdAt = BuildingCreatedAt(layout.Buildings[b]);
            var issuedAt = Min(createdAt + TimeSpan.FromDays(random.Uniform(1, 30)), now);
            plates.Clear();
            if (random.Chance(0.02))
            {
                var revokedAt = issuedAt + (now - issuedAt) * random.NextDouble();
                plates.Add((b, 1, issuedAt, revokedAt));
                plates.Add((b, 2, revokedAt, null));
            }
            else
            {
                plates.Add((b, 1, issuedAt, null));
            }
            foreach (var plate in plates)
            {
                var w = await copy.StartRowAsync(cancellationToken);
                await w.WriteAsync(next++, NpgsqlDbType.Bigint, cancellationToken);
                await w.WriteAsync(buildingIdBase + plate.Building, NpgsqlDbType.Bigint, cancellationToken);
                await w.WriteAsync(DoorplateCode.New(), NpgsqlDbType.Varchar, cancellationToken);
                await w.WriteAsync(plate.Version, NpgsqlDbType.Integer, cancellationToken);
                await w.WriteAsync(plate.IssuedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await w.WriteNullableAsync(plate.RevokedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                step.Advance();
            }
        }
        await copy.CompleteAsync(cancellationToken);
        step.Finish();
    }

    private async Task WriteRoomsAsync()
    {
        var step = progress.Begin("rooms", layout.RoomCount);
        roomIdBase = await ReserveIdsAsync("rooms", layout.RoomCount);
        await using var copy = new ChunkedBinaryCopy<RoomsCopy.Row>(connection, new RoomsCopy(explicitIds: true));
        for (var b = 0; b < layout.Buildings.Length; b++)
        {
            var building = layout.Buildings[b];
            var random = new SeedRandom(options.Seed, SeedStream.Room, b);
            var (minArea, maxArea, minBeds, maxBeds) = building.Use switch
            {
                BuildingUse.RentalHouse => (12.0, 30.0, 1, 4),
                BuildingUse.Residential => (55.0, 140.0, 2, 5),
                BuildingUse.Shop => (20.0, 80.0, 0, 2),
                _ => (15.0, 60.0, 0, 3),
            };
            for (var k = 0; k < building.Rooms; k++)
            {
                // Spread over the floors: room k is on floor 1 + k % floors, numbered 101, 201, ..., 102, ...
                var floor = 1 + k % building.Floors;
                var number = (floor * 100 + k / building.Floors + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var area = Math.Round((decimal)random.Uniform(minArea, maxArea), 1);
                var beds = random.Next(minBeds, maxBeds);
                await copy.WriteAsync(new RoomsCopy.Row(buildingIdBase + b, floor, number, area, beds, roomIdBase + building.FirstRoom + k), cancellationToken);
                step.Advance();
            }
        }
        await copy.CompleteAsync(cancellationToken);
        step.Finish();
    }

    private Guid PersonId(long person) =>
        SequentialGuid.Create(idEpochMilliseconds, person, new SeedRandom(options.Seed, SeedStream.RowId, person).NextUInt64());

    private Guid RegistrationId(long registration) =>
        SequentialGuid.Create(idEpochMilliseconds, registration, new SeedRandom(options.Seed, SeedStream.RowId, -1 - registration).NextUInt64());

    private readonly record struct PersonRow(
        long Index, SyntheticPerson Person, byte[] IdNumberCipher, byte[] IdNumberIndex, byte[] PhoneCipher, byte[] PhoneIndex, DateTimeOffset CreatedAt);

    private PersonRow EncryptPerson(long index, int attempt)
    {
        var person = people.Person(index, attempt);
        return new PersonRow(index, person,
            protector.Encrypt(person.IdNumber), protector.BlindIndex(person.IdNumber),
            protector.Encrypt(person.Phone), protector.BlindIndex(person.Phone),
            people.PlanResidence(index).FirstSubmittedAt);
    }

    // Persons and their registrations go in alternating COPY statements, a few batches at a time.
    // Each registration's foreign-key check locks its person row (it writes the row's xmax), so the
    // persons' pages are touched once more: while they are still in shared buffers and logged since
    // the last checkpoint, that is cheap; the whole persons heap later, it would double the writes.
    //
    // Encryption dominates the cost of a person, so batches are encrypted in parallel on a background
    // task meanwhile; uniqueness of ID numbers is then settled in order, which keeps the output the
    // same for a seed however the threads were scheduled.
    private async Task WriteResidentsAsync()
    {
        var personStep = progress.Begin("persons", options.Persons);
        var registrationStep = progress.Begin("residence_registrations", (long)(options.Persons * 1.11));
        registrationStep.Pause();
        takenIdNumbers.EnsureCapacity(takenIdNumbers.Count + options.Persons);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<PersonRow[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProducePersonBatchesAsync(batches.Writer, stop.Token), stop.Token);
        try
        {
            await using var personCopy = new ChunkedBinaryCopy<PersonsCopy.Row>(connection, new PersonsCopy(explicitCreatedAt: true));
            await using var registrationCopy = new ChunkedBinaryCopy<RegistrationsCopy.Row>(connection, new RegistrationsCopy());
            var firstRoomOfBuilding = layout.Buildings.Select(b => b.FirstRoom).ToArray();
            long personsWritten = 0;
            long personsWithRegistrations = 0;
            long registration = 0;
            await foreach (var rows in batches.Reader.ReadAllAsync(cancellationToken))
            {
                personStep.Resume();
                foreach (var row in rows) await WritePersonAsync(personCopy, row);
                personsWritten += rows.Length;
                personStep.Advance(rows.Length);
                if (personsWritten - personsWithRegistrations < PersonsPerInterleave && personsWritten < options.Persons)
                {
                    personStep.Pause();
                    continue;
                }
                await personCopy.CompleteAsync(cancellationToken);
                personStep.Pause();

                registrationStep.Resume();
                for (; personsWithRegistrations < personsWritten; personsWithRegistrations++)
                {
                    var plan = people.PlanResidence(personsWithRegistrations);
                    var personId = PersonId(personsWithRegistrations);
                    if (plan.Earlier is not null) await WriteRegistrationAsync(registrationCopy, registration++, personId, plan.Earlier, firstRoomOfBuilding);
                    await WriteRegistrationAsync(registrationCopy, registration++, personId, plan.Current, firstRoomOfBuilding);
                    registrationStep.Advance(plan.Earlier is null ? 1 : 2);
                }
                await registrationCopy.CompleteAsync(cancellationToken);
                registrationStep.Pause();
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
        personStep.Finish();
        registrationStep.Finish();
    }

    private async Task ProducePersonBatchesAsync(ChannelWriter<PersonRow[]> batches, CancellationToken stop)
    {
        try
        {
            for (long start = 0; start < options.Persons; start += PersonBatchSize)
            {
                var rows = new PersonRow[(int)Math.Min(PersonBatchSize, options.Persons - start)];
                var batchStart = start;
                Parallel.For(0, rows.Length, new ParallelOptions { CancellationToken = stop }, i => rows[i] = EncryptPerson(batchStart + i, 0));
                for (var i = 0; i < rows.Length; i++)
                {
                    // A 64-bit prefix of the HMAC stands for the ID number: a false match only costs a retry.
                    for (var attempt = 1; !takenIdNumbers.Add(BitConverter.ToInt64(rows[i].IdNumberIndex)); attempt++)
                    {
                        if (attempt > 400) throw new InvalidOperationException($"No free ID number for person {rows[i].Index}.");
                        rows[i] = EncryptPerson(rows[i].Index, attempt);
                    }
                }
                await batches.WriteAsync(rows, stop);
            }
            batches.Complete();
        }
        catch (Exception e)
        {
            batches.Complete(e);
        }
    }

    private Task WritePersonAsync(ChunkedBinaryCopy<PersonsCopy.Row> copy, PersonRow row) =>
        copy.WriteAsync(new PersonsCopy.Row(
            PersonId(row.Index), row.Person.Name, row.IdNumberCipher, row.IdNumberIndex, row.PhoneCipher, row.PhoneIndex,
            row.Person.Sex, row.Person.BirthDate, row.Person.RegionCode, row.CreatedAt), cancellationToken);

    private Task WriteRegistrationAsync(
        ChunkedBinaryCopy<RegistrationsCopy.Row> copy, long registration, Guid personId, PlannedRegistration stay, int[] firstRoomOfBuilding)
    {
        var buildingIndex = Array.BinarySearch(firstRoomOfBuilding, stay.Room);
        if (buildingIndex < 0) buildingIndex = ~buildingIndex - 1;
        var building = layout.Buildings[buildingIndex];
        return copy.WriteAsync(new RegistrationsCopy.Row(
            RegistrationId(registration), $"CITY-{registration + 1:D9}", personId, buildingIdBase + buildingIndex, roomIdBase + stay.Room,
            RoomLabel: null, stay.MoveIn, stay.MoveOut, stay.Reason, stay.Employer, stay.Status, stay.Channel, stay.Late, stay.SubmittedAt,
            stay.ConfirmedAt,
            // Confirmed by the owning landlord when the building has one (else by its manager, who has no account).
            stay.ConfirmedAt is not null && building.Owner >= 0 ? LandlordUserId(building.Owner) : null,
            stay.VerifiedAt,
            stay.VerifiedAt is not null ? PoliceUserId(layout.Grids[building.Grid].StationIndex) : null,
            stay.RejectedAt, stay.RejectionReason, stay.EndedAt), cancellationToken);
    }

    // Takes `count` ids past both the identity sequence and any explicit id already in the table,
    // and moves the sequence past them, so later inserts by the app continue after the seed. The
    // caller's transaction holds the table lock, so nobody inserts between reading and setting.
    private async Task<long> ReserveIdsAsync(string table, long count)
    {
        return await LoadingSql.ReserveIdsAsync(connection, table, count, cancellationToken);
    }

    private static string PersonName(ref SeedRandom random)
    {
        var given = random.Chance(0.5) ? CitySeedVocabulary.MaleGivenCharacters : CitySeedVocabulary.FemaleGivenCharacters;
        return random.Pick(CitySeedVocabulary.Surnames) + random.Pick(given) + (random.Chance(0.7) ? random.Pick(given) : "");
    }

    // 0851 is Guiyang's area code; local numbers have eight digits.
    private static string GuiyangLandline(ref SeedRandom random) => $"0851-8{random.Next(0, 10_000_000):D7}";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
