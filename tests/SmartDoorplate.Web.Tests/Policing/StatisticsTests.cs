using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Analytics.Identity;
using SmartDoorplate.Gis;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;
using SmartDoorplate.Web.Tests.Occupancy;
using Sex = SmartDoorplate.Registrations.Sex;

namespace SmartDoorplate.Web.Tests.Policing;

// The app's clock stopped at one instant, so that "today" and the months are known to the test.
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

// TestWorld with the clock at 2026-06-15 12:00 in Guiyang (04:00 UTC).
public sealed class StatisticsFixture : ScopeWorldFixture
{
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 4, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = new(2026, 6, 15);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new FixedClock(Now)));
    }
}

public sealed class StatisticsTests(StatisticsFixture app) : IClassFixture<StatisticsFixture>
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static int sequence = Random.Shared.Next(0, 300);

    // A grid of its own in station T-A per test, so hand counts are exact whatever else the class database holds.
    private async Task<(string Grid, long Building)> NewGridAsync()
    {
        var code = "T-S-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await app.WithDbAsync(async db =>
        {
            var station = await db.PoliceStations.SingleAsync(s => s.Code == "T-A");
            db.Grids.Add(new CommunityGrid { StationId = station.Id, Code = code, Name = "统计网格", Boundary = TestWorld.Box(106.61, 26.56, 106.69, 26.69) });
            await db.SaveChangesAsync();
        });
        var building = await OccupancyData.NewBuildingAsync(app, "t.landlord.a", code, ("101", 8));
        return (code, building.Id);
    }

    private async Task AddAsync(
        long buildingId, RegistrationStatus status, string region = "522624", Sex sex = Sex.Male, DateOnly? birth = null,
        ResidenceReason reason = ResidenceReason.Work, DateTimeOffset? submittedAt = null, bool late = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplate.Data.SmartDoorplateDb>();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var born = birth ?? new DateOnly(1990, 5, 20);
        var n = Interlocked.Increment(ref sequence);
        // GB 11643: the sequence's last digit is odd for men.
        var first17 = region + born.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (n % 100).ToString("00", CultureInfo.InvariantCulture) + (sex == Sex.Male ? "1" : "2");
        var idNumber = first17 + ResidentIdNumber.ComputeCheckDigit(first17);
        var phone = OccupancyData.NewPhone();
        var person = new Person
        {
            Id = Guid.CreateVersion7(), Name = "统计测试", Sex = sex, BirthDate = born, OriginRegionCode = region,
            IdNumberCipher = protector.Encrypt(idNumber), IdNumberIndex = protector.BlindIndex(idNumber + n),
            PhoneCipher = protector.Encrypt(phone), PhoneIndex = protector.BlindIndex(phone),
        };
        var submitted = (submittedAt ?? StatisticsFixture.Now.AddDays(-20)).ToUniversalTime();
        db.Registrations.Add(new ResidenceRegistration
        {
            Id = Guid.CreateVersion7(), Receipt = RegistrationReceipt.New(), Person = person, BuildingId = buildingId,
            MoveInDate = StatisticsFixture.Today.AddDays(-30), Reason = reason, Status = status, Channel = RegistrationChannel.Api,
            SubmittedAt = submitted, Late = late,
            ConfirmedAt = status is RegistrationStatus.Confirmed or RegistrationStatus.Verified or RegistrationStatus.Ended ? submitted.AddHours(1) : null,
            MoveOutDate = status == RegistrationStatus.Ended ? StatisticsFixture.Today.AddDays(-2) : null,
            EndReason = status == RegistrationStatus.Ended ? EndReason.MovedOut : null,
            RejectedAt = status == RegistrationStatus.Rejected ? submitted.AddHours(1) : null,
        });
        await db.SaveChangesAsync();
    }

    private static async Task<JsonElement> StatsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/statistics" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static int Count(JsonElement list, string keyName, string key, string countName = "count") =>
        list.EnumerateArray().Where(e => e.GetProperty(keyName).GetString() == key).Select(e => e.GetProperty(countName).GetInt32()).SingleOrDefault();

    [Fact]
    public async Task TotalsCountConfirmedAndVerifiedResidentsNotMovedOutSplitByWhereTheirIdWasIssued()
    {
        var (grid, building) = await NewGridAsync();
        await AddAsync(building, RegistrationStatus.Confirmed, "520102", Sex.Female, reason: ResidenceReason.Work);
        await AddAsync(building, RegistrationStatus.Verified, "520103", Sex.Male, reason: ResidenceReason.Family);
        await AddAsync(building, RegistrationStatus.Confirmed, "511302", Sex.Male, reason: ResidenceReason.Business);
        // 522624 is Guizhou but not Guiyang: floating, and from province 52.
        await AddAsync(building, RegistrationStatus.Confirmed, "522624", Sex.Female, reason: ResidenceReason.Study);
        await AddAsync(building, RegistrationStatus.Submitted, "511302", submittedAt: StatisticsFixture.Now.AddDays(-5));
        await AddAsync(building, RegistrationStatus.Submitted, "530102", submittedAt: StatisticsFixture.Now.AddDays(-1));
        await AddAsync(building, RegistrationStatus.Ended, "511302");
        await AddAsync(building, RegistrationStatus.Rejected, "511302");
        var officer = await app.SignedInClientAsync("t.officer.a");

        var stats = await StatsAsync(officer, $"?grid={grid}");

        var totals = stats.GetProperty("totals");
        Assert.Equal(4, totals.GetProperty("residents").GetInt32());
        Assert.Equal(2, totals.GetProperty("floating").GetInt32());
        Assert.Equal(2, totals.GetProperty("local").GetInt32());
        Assert.Equal(2, totals.GetProperty("pending").GetInt32());
        Assert.Equal(1, totals.GetProperty("overdue").GetInt32());
        Assert.Equal("grid", stats.GetProperty("area").GetProperty("kind").GetString());
        Assert.Equal(grid, stats.GetProperty("area").GetProperty("code").GetString());
        Assert.Equal("2026-06-15", stats.GetProperty("asOf").GetString());
        Assert.Equal(3, stats.GetProperty("deadlineDays").GetInt32());

        var provinces = stats.GetProperty("provinces");
        Assert.Equal(["52", "51"], provinces.EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        Assert.Equal(3, Count(provinces, "code", "52"));
        Assert.Equal("贵州省", provinces[0].GetProperty("name").GetString());
        Assert.Equal("四川省", provinces[1].GetProperty("name").GetString());

        var reasons = stats.GetProperty("reasons");
        Assert.Equal(["work", "study", "business", "family", "other"], reasons.EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        Assert.Equal([1, 1, 1, 1, 0], reasons.EnumerateArray().Select(r => r.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task AgesCountFromTheClocksTodayAndABirthdayTodayMovesAPersonUpABand()
    {
        var (grid, building) = await NewGridAsync();
        var today = StatisticsFixture.Today;
        await AddAsync(building, RegistrationStatus.Confirmed, sex: Sex.Male, birth: today.AddYears(-18));               // 18 today
        await AddAsync(building, RegistrationStatus.Confirmed, sex: Sex.Female, birth: today.AddYears(-18).AddDays(1));  // 18 tomorrow
        await AddAsync(building, RegistrationStatus.Confirmed, sex: Sex.Male, birth: today.AddYears(-30));
        await AddAsync(building, RegistrationStatus.Confirmed, sex: Sex.Female, birth: today.AddYears(-60).AddDays(1));
        await AddAsync(building, RegistrationStatus.Verified, sex: Sex.Male, birth: today.AddYears(-60));
        await AddAsync(building, RegistrationStatus.Submitted, sex: Sex.Male, birth: today.AddYears(-60));
        var officer = await app.SignedInClientAsync("t.officer.a");

        var ageSex = (await StatsAsync(officer, $"?grid={grid}")).GetProperty("ageSex");

        Assert.Equal(["0-17", "18-29", "30-44", "45-59", "60+"], ageSex.EnumerateArray().Select(a => a.GetProperty("band").GetString()));
        Assert.Equal([0, 1, 1, 0, 1], ageSex.EnumerateArray().Select(a => a.GetProperty("male").GetInt32()));
        Assert.Equal([1, 0, 0, 1, 0], ageSex.EnumerateArray().Select(a => a.GetProperty("female").GetInt32()));
    }

    [Fact]
    public async Task RegistrationsPerMonthCoverTheLastTwelveGuiyangMonthsWithEmptyMonthsAsZero()
    {
        var (grid, building) = await NewGridAsync();
        await AddAsync(building, RegistrationStatus.Confirmed, submittedAt: new DateTimeOffset(2026, 6, 10, 10, 0, 0, China));
        await AddAsync(building, RegistrationStatus.Submitted, submittedAt: new DateTimeOffset(2026, 6, 1, 0, 0, 0, China));
        await AddAsync(building, RegistrationStatus.Confirmed, submittedAt: new DateTimeOffset(2026, 4, 1, 1, 0, 0, China), late: true);  // 31 March in UTC
        await AddAsync(building, RegistrationStatus.Ended, submittedAt: new DateTimeOffset(2026, 3, 31, 23, 0, 0, China));
        await AddAsync(building, RegistrationStatus.Rejected, submittedAt: new DateTimeOffset(2025, 7, 1, 0, 0, 0, China));
        await AddAsync(building, RegistrationStatus.Confirmed, submittedAt: new DateTimeOffset(2025, 6, 30, 23, 59, 0, China));       // before the period
        var officer = await app.SignedInClientAsync("t.officer.a");

        var stats = await StatsAsync(officer, $"?grid={grid}");

        var monthly = stats.GetProperty("monthly").EnumerateArray().ToList();
        Assert.Equal(12, monthly.Count);
        Assert.Equal("2025-07", stats.GetProperty("from").GetString());
        Assert.Equal("2026-06", stats.GetProperty("to").GetString());
        var expected = new Dictionary<string, (int Registrations, int Late)> { ["2025-07"] = (1, 0), ["2026-03"] = (1, 0), ["2026-04"] = (1, 1), ["2026-06"] = (2, 0) };
        for (var i = 0; i < 12; i++)
        {
            var month = new DateOnly(2025, 7, 1).AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var (registrations, late) = expected.GetValueOrDefault(month);
            Assert.Equal(month, monthly[i].GetProperty("month").GetString());
            Assert.Equal(registrations, monthly[i].GetProperty("registrations").GetInt32());
            Assert.Equal(late, monthly[i].GetProperty("late").GetInt32());
        }
        Assert.Equal(5, stats.GetProperty("totals").GetProperty("registrations").GetInt32());
        Assert.Equal(1, stats.GetProperty("totals").GetProperty("late").GetInt32());
    }

    [Fact]
    public async Task WithoutAGridAnOfficerGetsTheirOwnStationAndNothingOfTheOther()
    {
        var (_, building) = await NewGridAsync();
        await AddAsync(building, RegistrationStatus.Confirmed, "511302");
        var officerA = await app.SignedInClientAsync("t.officer.a");
        var officerB = await app.SignedInClientAsync("t.officer.b");
        var (inA, inB) = await app.WithDbAsync(async db => (
            await db.Registrations.Where(ResidenceRegistration.IsOccupying).CountAsync(r => r.Building!.Grid!.Station!.Code == "T-A"),
            await db.Registrations.Where(ResidenceRegistration.IsOccupying).CountAsync(r => r.Building!.Grid!.Station!.Code == "T-B")));

        var a = await StatsAsync(officerA, "");
        var b = await StatsAsync(officerB, "");
        var aByCode = await StatsAsync(officerA, "?station=T-A");

        Assert.Equal("station", a.GetProperty("area").GetProperty("kind").GetString());
        Assert.Equal("T-A", a.GetProperty("area").GetProperty("code").GetString());
        Assert.Equal(inA, a.GetProperty("totals").GetProperty("residents").GetInt32());
        Assert.Equal(inA, aByCode.GetProperty("totals").GetProperty("residents").GetInt32());
        Assert.Equal("T-B", b.GetProperty("area").GetProperty("code").GetString());
        Assert.Equal(inB, b.GetProperty("totals").GetProperty("residents").GetInt32());
        Assert.True(inA >= 1);
    }

    [Fact]
    public async Task AnotherStationsGridOrStationIsNotFoundLandlordsAreForbiddenAndStrangersUnauthorised()
    {
        var (grid, _) = await NewGridAsync();
        var officerB = await app.SignedInClientAsync("t.officer.b");
        var landlord = await app.SignedInClientAsync("t.landlord.a");

        var otherGrid = await officerB.GetAsync($"/api/statistics?grid={grid}");
        var otherStation = await officerB.GetAsync("/api/statistics?station=T-A");
        var otherCsv = await officerB.GetAsync($"/api/statistics.csv?grid={grid}");
        var unknown = await officerB.GetAsync("/api/statistics?grid=NOPE");
        var both = await officerB.GetAsync("/api/statistics?grid=T-B-01&station=T-B");
        var byLandlord = await landlord.GetAsync($"/api/statistics?grid={grid}");
        var byStranger = await app.CreateClient().GetAsync($"/api/statistics.csv?grid={grid}");

        Assert.Equal(HttpStatusCode.NotFound, otherGrid.StatusCode);
        Assert.Equal("application/problem+json", otherGrid.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, otherStation.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherCsv.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.True((await both.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("grid", out _));
        Assert.Equal(HttpStatusCode.Forbidden, byLandlord.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byStranger.StatusCode);
    }

    // Every CSV row beside the JSON figure it stands for.
    private static async Task<List<(string Section, string Key, string Sex, string Count, int Json)>> CsvBesideJsonAsync(HttpClient client, string grid)
    {
        var json = await StatsAsync(client, $"?grid={grid}");
        var response = await client.GetAsync($"/api/statistics.csv?grid={grid}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"statistics-{grid}-20260615.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);

        using var csv = CsvReader.Create(bytes, CsvReaderOptions.Default);
        csv.ReadHeader();
        Assert.Equal(["section", "key", "name", "sex", "count"], csv.Headers);
        var rows = new List<(string, string, string, string, int)>();
        var totals = json.GetProperty("totals");
        while (csv.Read())
        {
            var (section, key, sex, count) = (csv.GetString("section"), csv.GetString("key"), csv.GetString("sex"), csv.GetString("count"));
            if (section == "parameter") continue;
            var value = section switch
            {
                "totals" => totals.GetProperty(key).GetInt32(),
                "origin" => totals.GetProperty(key).GetInt32(),
                "province" => Count(json.GetProperty("provinces"), "code", key),
                "age_sex" => Count(json.GetProperty("ageSex"), "band", key, sex),
                "reason" => Count(json.GetProperty("reasons"), "code", key),
                "month" => Count(json.GetProperty("monthly"), "month", key, "registrations"),
                "month_late" => Count(json.GetProperty("monthly"), "month", key, "late"),
                _ => throw new InvalidDataException($"unexpected section {section}"),
            };
            rows.Add((section, key, sex, count, value));
        }
        // Every JSON figure is in the file: 5 totals, 2 origins, the provinces, 10 age×sex cells, 5 reasons, 12 + 12 months.
        Assert.Equal(5 + 2 + json.GetProperty("provinces").GetArrayLength() + 10 + 5 + 24, rows.Count);
        return rows;
    }

    [Fact]
    public async Task TheCsvHoldsTheJsonFiguresWithSmallCountsHiddenAndIsAudited()
    {
        var (grid, building) = await NewGridAsync();
        for (var i = 0; i < 7; i++) await AddAsync(building, RegistrationStatus.Confirmed, "520102", reason: ResidenceReason.Work);
        await AddAsync(building, RegistrationStatus.Confirmed, "511302", reason: ResidenceReason.Study);
        var officer = await app.SignedInClientAsync("t.officer.a");
        var before = await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "statistics_export"));

        var rows = await CsvBesideJsonAsync(officer, grid);

        Assert.All(rows, r => Assert.True(r.Count == "x" || r.Count == r.Json.ToString(CultureInfo.InvariantCulture), $"{r.Section},{r.Key},{r.Sex}: {r.Count} for {r.Json}"));
        // No small count is shown, and no breakdown hides a single cell (the total would give it away).
        Assert.DoesNotContain(rows, r => r.Count is "1" or "2" or "3" or "4" && r.Section != "totals");
        Assert.All(rows.Where(r => r.Count == "x").GroupBy(r => r.Section), section => Assert.True(section.Count() >= 2, section.Key));
        Assert.DoesNotContain(rows, r => r.Section == "totals" && r.Count == "x");
        Assert.Contains(rows, r => r is { Section: "totals", Key: "residents", Count: "8" });
        // One person from Sichuan: hidden, and Guizhou's 7 with it, or 8 − 7 would give them away.
        Assert.Contains(rows, r => r is { Section: "province", Key: "51", Count: "x" });
        Assert.Contains(rows, r => r is { Section: "province", Key: "52", Count: "x" });
        Assert.Contains(rows, r => r is { Section: "origin", Key: "local", Count: "x" });
        Assert.Contains(rows, r => r is { Section: "month", Count: "8" });
        var audited = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "statistics_export").OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(before + 1, audited.Count);
        Assert.Contains(grid, audited[^1].Details);
        Assert.Null(audited[^1].TargetId);
    }

    [Fact]
    public async Task WithSuppressionSwitchedOffTheCsvEqualsTheJsonFigureForFigure()
    {
        var (grid, building) = await NewGridAsync();
        await AddAsync(building, RegistrationStatus.Confirmed, "520102", Sex.Female, birth: new DateOnly(2010, 1, 1), reason: ResidenceReason.Family);
        await AddAsync(building, RegistrationStatus.Verified, "511302", submittedAt: new DateTimeOffset(2026, 2, 3, 9, 0, 0, China), late: true);
        await AddAsync(building, RegistrationStatus.Submitted, "650102", submittedAt: StatisticsFixture.Now.AddDays(-4));
        await using var exact = app.WithWebHostBuilder(b => b.UseSetting("Statistics:CsvSuppressBelow", "0"));
        var officer = await SignInAsync(exact, "t.officer.a");

        var rows = await CsvBesideJsonAsync(officer, grid);

        Assert.All(rows, r => Assert.Equal(r.Json.ToString(CultureInfo.InvariantCulture), r.Count));
        Assert.Contains(rows, r => r is { Section: "origin", Key: "floating", Count: "1" });
        Assert.Contains(rows, r => r is { Section: "age_sex", Key: "0-17", Sex: "female", Count: "1" });
        Assert.Contains(rows, r => r is { Section: "month_late", Key: "2026-02", Count: "1" });
        Assert.Contains(rows, r => r is { Section: "totals", Key: "overdue", Count: "1" });
    }

    private static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> factory, string user)
    {
        var client = factory.CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { username = user, password = TestWorld.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    [Fact]
    public async Task ThePageShowsTheFiguresAsTablesWithoutJavaScriptAndOnlyInScope()
    {
        var (grid, building) = await NewGridAsync();
        for (var i = 0; i < 3; i++) await AddAsync(building, RegistrationStatus.Confirmed, "511302");
        var officerA = await app.SignedInBrowserAsync("t.officer.a");
        var officerB = await app.SignedInBrowserAsync("t.officer.b");

        var html = await officerA.GetStringAsync($"/police/statistics?grid={grid}");
        var other = await officerB.GetAsync($"/police/statistics?grid={grid}");

        Assert.Contains("<strong id=\"total-residents\">3</strong>", html);
        Assert.Contains("<th scope=\"row\">四川省</th><td>3</td>", html);
        Assert.Contains($"<option value=\"{grid}\" selected=\"selected\">", html);
        Assert.Contains($"href=\"/api/statistics.csv?grid={grid}\"", html);
        Assert.Contains("data-statistics=\"{", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("统计测试", html);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
