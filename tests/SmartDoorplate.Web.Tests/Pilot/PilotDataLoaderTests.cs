using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Gis;
using SmartDoorplate.Loading.Pilot;
using SmartDoorplate.Privacy;
using SmartDoorplate.Web.Tests.Import;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Pilot;

public sealed class PilotDataLoaderTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Password = "Test-Pilot-2026!";

    // Every test loads (the first actually does); the loader must tolerate that.
    private Task<PilotLoadResult> LoadAsync() => PilotDataLoader.LoadAsync(
        app.Services.GetRequiredService<NpgsqlDataSource>(), app.Services.GetRequiredService<PersonalDataProtector>(),
        PilotData.Directory, Password, TimeProvider.System, null, CancellationToken.None);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task ThePilotLoadsAtLeast500BuildingsInFifteenGridsOfOneStation()
    {
        var result = await LoadAsync();

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        Assert.Equal(15L, await ScalarAsync<long>("""
            select count(*) from community_grids g join police_stations s on s.id = g.station_id where s.code = 'QL-GC'
            """));
        Assert.True(await ScalarAsync<long>("""
            select count(*) from buildings b join community_grids g on g.id = b.grid_id
            join police_stations s on s.id = g.station_id where s.code = 'QL-GC'
            """) >= 500);
        Assert.Equal(0L, await ScalarAsync<long>("""
            select count(*) from buildings b
            where not exists (select 1 from doorplates d where d.building_id = b.id and d.revoked_at is null and d.version = 1)
            """));
    }

    [Fact]
    public async Task LoadingThePilotASecondTimeChangesNothing()
    {
        await LoadAsync();
        var before = await CountRowsAsync();

        var second = await LoadAsync();

        Assert.True(second.AlreadyLoaded);
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task NoClearIdNumberOrPhoneIsStoredButBothDecryptFromTheirBlindIndex()
    {
        await LoadAsync();
        var (idNumber, phone) = PilotData.FirstResident();
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();

        var personsText = await ScalarAsync<string>("select string_agg(p::text, E'\\n') from persons p");
        var registrationsText = await ScalarAsync<string>("select string_agg(r::text, E'\\n') from residence_registrations r");

        Assert.True(personsText.Length > 100_000);
        Assert.DoesNotContain(idNumber, personsText);
        Assert.DoesNotContain(phone, personsText);
        Assert.DoesNotContain(idNumber, registrationsText);
        await using var command = app.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("select id_number_cipher, phone_cipher, birth_date, origin_region_code from persons where id_number_index = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = protector.BlindIndex(idNumber) });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(idNumber, protector.Decrypt(reader.GetFieldValue<byte[]>(0)));
        Assert.Equal(phone, protector.Decrypt(reader.GetFieldValue<byte[]>(1)));
        Assert.Equal(idNumber[6..14], reader.GetFieldValue<DateOnly>(2).ToString("yyyyMMdd"));
        Assert.Equal(idNumber[..6], reader.GetString(3));
    }

    [Fact]
    public async Task TheDemoAccountsSignInWithTheDemoPasswordAndHaveTheirScopes()
    {
        await LoadAsync();
        var db = app.Services.CreateScope().ServiceProvider.GetRequiredService<SmartDoorplate.Data.SmartDoorplateDb>();
        var hasher = new PasswordHasher<User>();

        foreach (var name in new[] { "admin", "police.gaicha", "police.other", "landlord.demo", "landlord.other" })
        {
            var user = db.Users.Single(u => u.UserName == name);
            Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, user.PasswordHash!, Password));
        }

        Assert.Equal("QL-GC", db.Users.Where(u => u.UserName == "police.gaicha").Select(u => u.Station!.Code).Single());
        Assert.Equal("QL-XH", db.Users.Where(u => u.UserName == "police.other").Select(u => u.Station!.Code).Single());
        Assert.True(db.Buildings.Count(b => b.Owner!.UserName == "landlord.demo") >= 20);
        Assert.True(db.Buildings.Count(b => b.Owner!.UserName == "landlord.other") >= 5);
        Assert.Null(db.Users.Single(u => u.UserName == "landlord.ql-gc.001").PasswordHash);
        // The demo landlords have a contact phone for the map's panel, stored only encrypted.
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        foreach (var name in new[] { "landlord.demo", "landlord.other" })
        {
            var cipher = db.Users.Where(u => u.UserName == name).Select(u => u.ContactPhoneCipher).Single();
            Assert.NotNull(cipher);
            Assert.Matches("^1[3-9][0-9]{9}$", protector.Decrypt(cipher));
            Assert.DoesNotContain(protector.Decrypt(cipher), System.Text.Encoding.Latin1.GetString(cipher));
        }
    }

    [Fact]
    public async Task RegistrationsHaveUniqueReceiptsAndTimesThatFollowTheirStatus()
    {
        await LoadAsync();

        Assert.Equal(0L, await ScalarAsync<long>("""
            select count(*) from residence_registrations
            where channel <> 'import'
               or receipt !~ '^[0-9A-HJKMNP-TV-Z]{12}$'
               or (status = 'submitted') <> (confirmed_at is null)
               or (status = 'verified') <> (verified_at is not null)
               or (status = 'ended') <> (ended_at is not null and move_out_date is not null)
               or confirmed_at < submitted_at or verified_at < confirmed_at or submitted_at > now()
            """));
        Assert.Equal(await ScalarAsync<long>("select count(*) from residence_registrations"),
            await ScalarAsync<long>("select count(distinct receipt) from residence_registrations"));
    }

    private async Task<Dictionary<string, long>> CountRowsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in ImportDatabase.TouchedTables) counts[table] = await ScalarAsync<long>($"select count(*) from {table}");
        return counts;
    }
}

public sealed class PilotDataLoaderFailureTests
{
    [Fact]
    public async Task ABadResidentLineLeavesTheDatabaseAsItWasAndIsReportedByLine()
    {
        await using var db = await ImportDatabase.CreateAsync();
        var copy = Directory.CreateTempSubdirectory("sd-pilot-");
        try
        {
            foreach (var file in PilotData.Directory.GetFiles()) file.CopyTo(Path.Combine(copy.FullName, file.Name));
            var residents = Path.Combine(copy.FullName, "residents.csv");
            var lines = File.ReadAllLines(residents);
            var (idNumber, _) = PilotData.FirstResident();
            // One digit changed: the check digit no longer matches.
            lines[1] = lines[1].Replace(idNumber, idNumber[..10] + (idNumber[10] == '0' ? '1' : '0') + idNumber[11..]);
            File.WriteAllLines(residents, lines);
            var protector = new PersonalDataProtector(Options.Create(new PrivacyOptions
            {
                EncryptionKeys = new() { ["1"] = TestKeys.EncryptionKey },
                ActiveKeyId = "1",
                BlindIndexKey = TestKeys.BlindIndexKey,
            }));

            var result = await PilotDataLoader.LoadAsync(db.DataSource, protector, copy, "x", TimeProvider.System, null, CancellationToken.None);

            Assert.False(result.Succeeded);
            Assert.Contains(result.Problems, p => p.StartsWith("residents.csv line 2: 'idNumber' is not a valid resident ID number"));
            Assert.All(await db.RowCountsAsync(), count => Assert.Equal(0, count.Value));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }
}

// A database loaded before the pilot had roads and landmarks gets them on the next load, once.
public sealed class PilotBaseMapLaterTests
{
    [Fact]
    public async Task ThePilotLoadedWithoutTheBaseMapGetsItOnTheNextLoadAndOnlyOnce()
    {
        await using var db = await ImportDatabase.CreateAsync();
        var older = Directory.CreateTempSubdirectory("sd-pilot-");
        try
        {
            foreach (var file in PilotData.Directory.GetFiles().Where(f => f.Name is not ("roads.geojson" or "landmarks.geojson")))
            {
                file.CopyTo(Path.Combine(older.FullName, file.Name));
            }
            var protector = new PersonalDataProtector(Options.Create(new PrivacyOptions
            {
                EncryptionKeys = new() { ["1"] = TestKeys.EncryptionKey },
                ActiveKeyId = "1",
                BlindIndexKey = TestKeys.BlindIndexKey,
            }));
            Task<PilotLoadResult> Load(DirectoryInfo directory) =>
                PilotDataLoader.LoadAsync(db.DataSource, protector, directory, "x", TimeProvider.System, null, CancellationToken.None);

            Assert.True((await Load(older)).Succeeded);
            Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from roads"));

            var later = await Load(PilotData.Directory);
            var roads = File.ReadLines(Path.Combine(PilotData.Directory.FullName, "roads.geojson")).Count(l => l.StartsWith("{\"type\":\"Feature\""));

            Assert.True(later.Succeeded, string.Join(Environment.NewLine, later.Problems));
            Assert.False(later.AlreadyLoaded);
            Assert.Equal((long)roads, await db.ScalarAsync<long>("select count(*) from roads"));
            Assert.Equal(6L, await db.ScalarAsync<long>("select count(*) from landmarks"));
            Assert.True((await Load(PilotData.Directory)).AlreadyLoaded);
            Assert.Equal((long)roads, await db.ScalarAsync<long>("select count(*) from roads"));
        }
        finally
        {
            older.Delete(recursive: true);
        }
    }
}

// `seed --scale city` may run before the pilot: it keeps district 520103, which the pilot then reuses.
public sealed class PilotAfterCityDistrictTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task ThePilotLoadsUnderAnExistingDistrict520103()
    {
        await using (var connection = new NpgsqlConnection(app.OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                insert into districts (code, name, boundary)
                values ('520103', '云岩区', st_multi(st_makeenvelope(106.5, 26.5, 106.8, 26.7, 4326)))
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        var result = await PilotDataLoader.LoadAsync(
            app.Services.GetRequiredService<NpgsqlDataSource>(), app.Services.GetRequiredService<PersonalDataProtector>(),
            PilotData.Directory, "Test-Pilot-2026!", TimeProvider.System, null, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        await using var count = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            select count(distinct d.id) from police_stations s join districts d on d.id = s.district_id where s.code in ('QL-GC', 'QL-XH')
            """);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }
}
