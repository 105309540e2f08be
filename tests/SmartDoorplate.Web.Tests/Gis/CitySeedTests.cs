using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Cli;
using SmartDoorplate.Privacy;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Gis;

// The city seed at 1 % scale on its own database, run through the real command line, next to a
// stand-in for the pilot (district 520103, one station, one grid) loaded first.
public sealed class CitySeedFixture : IAsyncLifetime
{
    public const int Buildings = 2_000;
    public const string PilotStationCode = "QL-GC";

    public AppFactory App { get; } = new();
    public int FirstRunExitCode { get; private set; }
    public long PilotDistrictId { get; private set; }

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)App).InitializeAsync();
        PilotDistrictId = await PilotStandIn.InsertAsync(App.OwnerConnectionString);
        FirstRunExitCode = await SeedAsync();
    }

    // `seed` is an owner verb: it resets identity sequences, which the app role may not.
    public async Task<int> SeedAsync()
    {
        await using var owner = App.AsOwner();
        return await CommandLineVerbs.RunAsync(owner.Services, ["seed", "--scale", "city", "--buildings", Buildings.ToString(), "--seed", "7"]);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(App.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    async Task IAsyncLifetime.DisposeAsync() => await ((IAsyncLifetime)App).DisposeAsync();
}

public sealed class CitySeedTests(CitySeedFixture seeded) : IClassFixture<CitySeedFixture>
{
    [Fact]
    public async Task TheSeedLeavesBuildingCountsEqualToAFreshCount()
    {
        var mismatches = await seeded.App.WithDbAsync(Registrations.BuildingCountsCheck.MismatchesAsync);

        Assert.Empty(mismatches);
        Assert.True(await seeded.ScalarAsync<long>("select sum(residents) from building_counts") > CitySeedFixture.Buildings);
    }

    [Fact]
    public async Task SeedingCreatesTheScaledCityUnderCityCodes()
    {
        Assert.Equal(0, seeded.FirstRunExitCode);
        Assert.Equal(6, await seeded.ScalarAsync<long>("select count(*) from districts"));
        Assert.Equal(60, await seeded.ScalarAsync<long>("select count(*) from police_stations where code like 'CITY-%'"));
        Assert.Equal(1500, await seeded.ScalarAsync<long>("select count(*) from community_grids where code like 'CITY-%'"));
        Assert.Equal(CitySeedFixture.Buildings, await seeded.ScalarAsync<long>("select count(*) from buildings where code like 'CITY-%'"));
        Assert.Equal(CitySeedFixture.Buildings, await seeded.ScalarAsync<long>("select count(distinct address_id) from buildings where code like 'CITY-%'"));
        var rooms = await seeded.ScalarAsync<long>("select count(*) from rooms");
        Assert.InRange(rooms, 2L * CitySeedFixture.Buildings, 8L * CitySeedFixture.Buildings);
        Assert.Equal(10L * CitySeedFixture.Buildings, await seeded.ScalarAsync<long>("select count(*) from persons"));
        Assert.InRange(await seeded.ScalarAsync<long>("select count(*) from residence_registrations"), 10L * CitySeedFixture.Buildings, 12L * CitySeedFixture.Buildings);
        Assert.Equal(5L * CitySeedFixture.Buildings, await seeded.ScalarAsync<long>("select count(*) from cases where case_number like 'CITY-%'"));
    }

    [Fact]
    public async Task EveryBuildingHasExactlyOneCurrentDoorplate()
    {
        Assert.Equal(0, await seeded.ScalarAsync<long>("""
            select count(*) from buildings b
            where (select count(*) from doorplates d where d.building_id = b.id and d.revoked_at is null) <> 1
            """));
        Assert.Equal(0, await seeded.ScalarAsync<long>("select count(*) from doorplates where code !~ '^[0-9A-HJKMNP-TV-Z]{16}$'"));
    }

    [Fact]
    public async Task FootprintsAreValidInsideTheirGridAndDoNotOverlap()
    {
        Assert.Equal(0, await seeded.ScalarAsync<long>("select count(*) from buildings where not st_isvalid(footprint)"));
        Assert.Equal(0, await seeded.ScalarAsync<long>(
            "select count(*) from buildings a join buildings b on a.id < b.id and st_intersects(a.footprint, b.footprint)"));
        Assert.Equal(0, await seeded.ScalarAsync<long>(
            "select count(*) from buildings b join community_grids g on g.id = b.grid_id where not st_coveredby(b.footprint, g.boundary)"));
        Assert.Equal(0, await seeded.ScalarAsync<long>("select count(*) from buildings where not st_contains(footprint, entrance)"));
        // Small rotated rectangles: houses and blocks of flats, not fields.
        Assert.InRange(await seeded.ScalarAsync<double>("select max(st_area(footprint::geography)) from buildings"), 100, 700);
    }

    [Fact]
    public async Task GridsTileStationsAndStationsTileDistricts()
    {
        Assert.Equal(0, await seeded.ScalarAsync<long>("""
            select count(*) from community_grids g join police_stations s on s.id = g.station_id
            where g.code like 'CITY-%' and not st_coveredby(g.boundary, s.boundary)
            """));
        Assert.Equal(0, await seeded.ScalarAsync<long>("""
            select count(*) from community_grids a join community_grids b on a.id < b.id and st_overlaps(a.boundary, b.boundary)
            where a.code like 'CITY-%' and b.code like 'CITY-%'
            """));
        // Covered and not overlapping, with the same area: tiled without gaps.
        Assert.True(await seeded.ScalarAsync<double>("""
            select max(abs(st_area(s.boundary) - x.area) / st_area(s.boundary)) from police_stations s
            join (select station_id, sum(st_area(boundary)) as area from community_grids group by station_id) x on x.station_id = s.id
            where s.code like 'CITY-%'
            """) < 1e-9);
        Assert.True(await seeded.ScalarAsync<double>("""
            select max(abs(st_area(d.boundary) - x.area) / st_area(d.boundary)) from districts d
            join (select district_id, sum(st_area(boundary)) as area from police_stations where code like 'CITY-%' group by district_id) x on x.district_id = d.id
            where d.id <> (select id from districts where code = '520103')
            """) < 1e-9);
    }

    [Fact]
    public async Task EveryCaseLiesInItsGrid()
    {
        Assert.Equal(0, await seeded.ScalarAsync<long>("select count(*) from cases where grid_id is null"));
        Assert.Equal(0, await seeded.ScalarAsync<long>(
            "select count(*) from cases c join community_grids g on g.id = c.grid_id where not st_intersects(c.location, g.boundary)"));
        Assert.Equal(6, await seeded.ScalarAsync<long>("select count(distinct type) from cases"));
        Assert.Equal(0, await seeded.ScalarAsync<long>(
            "select count(*) from cases where type not in ('burglary', 'theft', 'robbery', 'snatching', 'fraud', 'assault')"));
        Assert.Equal(0, await seeded.ScalarAsync<long>(
            "select count(*) from cases where occurred_at > now() or occurred_at < now() - interval '5 years 1 day'"));
    }

    [Fact]
    public async Task CasesClusterInHotspots()
    {
        // A tenth of the grids hold well over a tenth of the cases.
        var busiestTenthShare = await seeded.ScalarAsync<decimal>("""
            select sum(n) / (select count(*) from cases) from (
              select count(*) as n from cases group by grid_id order by n desc limit (select count(*) / 10 from community_grids)) as busiest
            """);
        Assert.True(busiestTenthShare > 0.4m, $"busiest tenth of grids hold {busiestTenthShare:P0} of cases");
    }

    [Fact]
    public async Task DecryptedIdNumbersAreValidAndAgreeWithSexBirthDateAndOrigin()
    {
        var protector = seeded.App.Services.GetRequiredService<PersonalDataProtector>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        await using var connection = new NpgsqlConnection(seeded.App.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select id_number_cipher, id_number_index, phone_cipher, phone_index, sex, birth_date, origin_region_code
            from persons order by random() limit 300
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var checkedRows = 0;
        while (await reader.ReadAsync())
        {
            var idNumber = protector.Decrypt(reader.GetFieldValue<byte[]>(0));
            var validation = ResidentIdNumber.Validate(idNumber, today);
            Assert.True(validation.IsValid, $"{Mask(idNumber)}: {validation.Error}");
            Assert.Equal(reader.GetFieldValue<byte[]>(1), protector.BlindIndex(validation.Number.Value));
            Assert.Equal(validation.Number.Sex == Sex.Male ? "male" : "female", reader.GetString(4));
            Assert.Equal(validation.Number.BirthDate, reader.GetFieldValue<DateOnly>(5));
            Assert.Equal(validation.Number.RegionCode, reader.GetString(6));

            var phone = protector.Decrypt(reader.GetFieldValue<byte[]>(2));
            Assert.True(MobilePhone.Validate(phone).IsValid);
            Assert.Equal(reader.GetFieldValue<byte[]>(3), protector.BlindIndex(phone));
            checkedRows++;
        }
        Assert.Equal(300, checkedRows);
    }

    [Fact]
    public async Task RegistrationsFollowTheLifecycle()
    {
        // Mostly confirmed or verified, some ended, some still submitted.
        var settled = await seeded.ScalarAsync<decimal>(
            "select avg(case when status in ('confirmed', 'verified') then 1.0 else 0 end) from residence_registrations");
        Assert.InRange(settled, 0.55m, 0.85m);
        Assert.True(await seeded.ScalarAsync<long>("select count(*) from residence_registrations where status = 'ended'") > 0);
        Assert.True(await seeded.ScalarAsync<long>("select count(*) from residence_registrations where status = 'submitted'") > 0);
        // Superseded registrations are ended: nobody has two open ones.
        Assert.Equal(0, await seeded.ScalarAsync<long>("""
            select count(*) from (select person_id from residence_registrations
              where status in ('submitted', 'confirmed', 'verified') group by person_id having count(*) > 1) x
            """));
        Assert.Equal(0, await seeded.ScalarAsync<long>("""
            select count(*) from residence_registrations
            where (status = 'verified' and (verified_at is null or confirmed_at is null))
               or (status = 'confirmed' and confirmed_at is null)
               or (status = 'ended' and (ended_at is null or move_out_date is null))
               or (status = 'rejected' and (rejected_at is null or rejection_reason is null))
               or confirmed_at < submitted_at or verified_at < confirmed_at
               or submitted_at > now() or move_in_date < current_date - interval '5 years 1 day'
            """));
        Assert.Equal(0, await seeded.ScalarAsync<long>(
            "select count(*) from residence_registrations r join rooms o on o.id = r.room_id where o.building_id <> r.building_id"));
    }

    [Fact]
    public async Task SeedingAgainChangesNothing()
    {
        var before = await seeded.ScalarAsync<long>("select (select count(*) from buildings) + (select count(*) from persons) + (select count(*) from cases)");

        Assert.Equal(0, await seeded.SeedAsync());

        Assert.Equal(before, await seeded.ScalarAsync<long>("select (select count(*) from buildings) + (select count(*) from persons) + (select count(*) from cases)"));
        Assert.Equal(60, await seeded.ScalarAsync<long>("select count(*) from police_stations where code like 'CITY-%'"));
    }

    [Fact]
    public async Task PilotDistrictIsReusedAndPilotGroundIsLeftAlone()
    {
        Assert.Equal(1, await seeded.ScalarAsync<long>("select count(*) from districts where code = '520103'"));
        Assert.Equal(seeded.PilotDistrictId, await seeded.ScalarAsync<long>("select id from districts where code = '520103'"));
        Assert.True(await seeded.ScalarAsync<long>(
            $"select count(*) from police_stations where code like 'CITY-520103-%' and district_id = {seeded.PilotDistrictId}") > 0);
        Assert.Equal(1, await seeded.ScalarAsync<long>($"select count(*) from police_stations where code = '{CitySeedFixture.PilotStationCode}'"));
        Assert.Equal(0, await seeded.ScalarAsync<long>($"""
            select count(*) from buildings b, community_grids g
            where g.code = '{PilotStandIn.GridCode}' and b.code like 'CITY-%' and st_intersects(b.footprint, g.boundary)
            """));
        Assert.Equal(0, await seeded.ScalarAsync<long>($"""
            select count(*) from cases c, community_grids g
            where g.code = '{PilotStandIn.GridCode}' and c.case_number like 'CITY-%' and st_intersects(c.location, g.boundary)
            """));
    }

    [Fact]
    public async Task IdentitySequencesContinueAfterTheSeed()
    {
        foreach (var table in new[] { "districts", "police_stations", "community_grids", "users", "standard_addresses", "buildings", "doorplates", "rooms", "cases" })
        {
            var next = await seeded.ScalarAsync<long>($"select nextval(pg_get_serial_sequence('{table}', 'id'))");
            Assert.True(next > await seeded.ScalarAsync<long>($"select max(id) from {table}"), table);
        }
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameCity()
    {
        var again = new CitySeedFixture();
        await ((IAsyncLifetime)again).InitializeAsync();
        try
        {
            Assert.Equal(0, again.FirstRunExitCode);
            // Dates run up to the day of seeding, and ids, ciphertexts and plate codes are fresh by
            // design; everything else must match.
            foreach (var sql in new[]
            {
                "select md5(string_agg(code || st_astext(footprint) || floors || use, ',' order by code)) from buildings",
                "select md5(string_agg(code || name || st_astext(boundary), ',' order by code)) from community_grids",
                "select md5(string_agg(name || sex || origin_region_code, ',' order by name, sex, origin_region_code)) from persons",
                "select md5(string_agg(c.case_number || c.type || st_astext(c.location) || g.code, ',' order by c.case_number)) from cases c join community_grids g on g.id = c.grid_id",
            })
            {
                Assert.Equal(await seeded.ScalarAsync<string>(sql), await again.ScalarAsync<string>(sql));
            }
        }
        finally
        {
            await ((IAsyncLifetime)again).DisposeAsync();
        }
    }

    private static string Mask(string idNumber) => idNumber.Length > 8 ? idNumber[..4] + "…" + idNumber[^4..] : "…";
}

// What the pilot loader leaves behind, as far as the city seed cares: district 520103 with a pilot
// station and grid (a small square in the old town, where the city would otherwise put buildings).
internal static class PilotStandIn
{
    public const string GridCode = "520103100207-01";

    public static async Task<long> InsertAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            with district as (
              insert into districts (code, name, boundary)
              values ('520103', '云岩区', st_multi(st_makeenvelope(106.69, 26.57, 106.73, 26.61, 4326))) returning id),
            station as (
              insert into police_stations (district_id, code, name, hotline, boundary)
              select id, '{CitySeedFixture.PilotStationCode}', '改茶派出所', '0851-86000000', st_multi(st_makeenvelope(106.705, 26.575, 106.715, 26.585, 4326))
              from district returning id)
            insert into community_grids (station_id, code, name, boundary)
            select id, '{GridCode}', '改茶村第1网格', st_multi(st_makeenvelope(106.705, 26.575, 106.715, 26.585, 4326)) from station
            returning (select id from district)
            """, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
