using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

// Retention works on every eligible person in the database, so each test gets a database of its own.
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly AppFactory app = new();
    private readonly ResidentRecords records;

    public RetentionTests() => records = new ResidentRecords(app);

    public Task InitializeAsync() => ((IAsyncLifetime)app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private sealed record Population(Resident MovedOutLongAgo, Resident MovedTwiceLongAgo, Resident RejectedLongAgo,
        Resident MovedOutRecently, Resident LivingThere, Resident MovedOutLongAgoButLivesElsewhereNow)
    {
        public Guid[] Eligible => [MovedOutLongAgo.PersonId, MovedTwiceLongAgo.PersonId, RejectedLongAgo.PersonId];
        public Resident[] Kept => [MovedOutRecently, LivingThere, MovedOutLongAgoButLivesElsewhereNow];
    }

    private async Task<Population> PopulateAsync()
    {
        var building = await records.NewBuildingAsync();
        var movedOutLongAgo = await records.RegisterAsync(building, Today.AddYears(-6), Today.AddYears(-4));
        var movedTwice = await records.RegisterAsync(building, Today.AddYears(-8), Today.AddYears(-7));
        await records.AddRegistrationAsync(movedTwice.PersonId, building, Today.AddYears(-7), Today.AddYears(-3).AddDays(-2));
        var rejected = await records.RegisterAsync(building, Today.AddYears(-5));
        await app.WithDbAsync(db => db.Registrations.Where(r => r.Receipt == rejected.Receipt).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, RegistrationStatus.Rejected)
            .SetProperty(r => r.RejectedAt, DateTimeOffset.UtcNow.AddYears(-5))));
        var movedOutRecently = await records.RegisterAsync(building, Today.AddYears(-4), Today.AddYears(-3).AddDays(2));
        var livingThere = await records.RegisterAsync(building, Today.AddYears(-9));
        var livesElsewhere = await records.RegisterAsync(building, Today.AddYears(-6), Today.AddYears(-5));
        await records.AddRegistrationAsync(livesElsewhere.PersonId, await records.NewBuildingAsync(), Today.AddYears(-5));
        return new Population(movedOutLongAgo, movedTwice, rejected, movedOutRecently, livingThere, livesElsewhere);
    }

    [Fact]
    public async Task ADryRunListsThePersonsWhoseEveryRegistrationEndedOverThreeYearsAgoAndChangesNothing()
    {
        var population = await PopulateAsync();
        var before = await SnapshotAsync();

        var plan = await WithRetentionAsync(r => r.PlanAsync(CancellationToken.None));

        Assert.Equal(population.Eligible.Order(), plan.PersonIds);
        Assert.InRange(plan.EndedBefore, Today.AddYears(-3), Today.AddYears(-3).AddDays(1));   // a Beijing day
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ARunAnonymisesExactlyTheEligiblePersonsAndKeepsTheirRegistrationsForStatistics()
    {
        var population = await PopulateAsync();
        var keptBefore = await PersonsAsync(population.Kept.Select(r => r.PersonId));

        var count = await WithRetentionAsync(r => r.RunAsync(CancellationToken.None));

        Assert.Equal(3, count);
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        foreach (var person in await PersonsAsync(population.Eligible))
        {
            Assert.Equal(ResidenceRetention.AnonymisedName, person.Name);
            Assert.Equal("", protector.Decrypt(person.IdNumberCipher));
            Assert.Equal("", protector.Decrypt(person.PhoneCipher));
            Assert.NotNull(person.AnonymisedAt);
            Assert.Equal(new DateOnly(1990, 1, 1), person.BirthDate);
            Assert.Equal("520102", person.OriginRegionCode);
        }
        var registrations = await app.WithDbAsync(db => db.Registrations.AsNoTracking()
            .Where(r => population.Eligible.Contains(r.PersonId)).ToListAsync());
        Assert.Equal(4, registrations.Count);
        Assert.All(registrations, r => Assert.Null(r.Employer));
        Assert.All(registrations, r => Assert.NotEqual(default, r.MoveInDate));
        Assert.Equivalent(keptBefore, await PersonsAsync(population.Kept.Select(r => r.PersonId)));
    }

    [Fact]
    public async Task ARunInBatchesOfOneGoesOnPastEachBatchAndAnonymisesEveryEligiblePersonOnce()
    {
        var population = await PopulateAsync();
        var keptBefore = await PersonsAsync(population.Kept.Select(r => r.PersonId));
        var oneAtATime = app.WithWebHostBuilder(b => b.UseSetting("Retention:BatchSize", "1"));

        await using var scope = oneAtATime.Services.CreateAsyncScope();
        var count = await scope.ServiceProvider.GetRequiredService<ResidenceRetention>().RunAsync(CancellationToken.None);

        Assert.Equal(3, count);
        var anonymised = await app.WithDbAsync(db => db.Persons.Where(p => p.AnonymisedAt != null).Select(p => p.Id).ToListAsync());
        Assert.Equal(population.Eligible.Order(), anonymised.Order());
        Assert.Equivalent(keptBefore, await PersonsAsync(population.Kept.Select(r => r.PersonId)));
        var batches = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditActions.RetentionAnonymise.Code).OrderBy(e => e.Id).Select(e => e.Details).ToListAsync());
        Assert.Equal(3, batches.Count);
        Assert.All(batches, details => Assert.Contains("\"count\": 1", details));
    }

    [Fact]
    public async Task AnAnonymisedResidentCanNoLongerBeFoundByPhone()
    {
        var population = await PopulateAsync();
        var kept = population.MovedOutRecently;
        var gone = population.MovedOutLongAgo;

        await WithRetentionAsync(r => r.RunAsync(CancellationToken.None));
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/registrations/receipt/{gone.Receipt}/access-log?phone={gone.Phone}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/registrations/receipt/{kept.Receipt}/access-log?phone={kept.Phone}")).StatusCode);
    }

    [Fact]
    public async Task EveryRunIsAuditedAsTheSystemWithItsCountAndTheChainStaysIntact()
    {
        var population = await PopulateAsync();

        await WithRetentionAsync(r => r.RunAsync(CancellationToken.None));
        var second = await WithRetentionAsync(r => r.RunAsync(CancellationToken.None));

        var events = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditActions.RetentionAnonymise.Code).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(0, second);
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("system", e.ActorRole));
        Assert.Contains("\"count\": 3", events[0].Details);
        Assert.All(population.Eligible, id => Assert.Contains(id.ToString("D"), events[0].Details));
        Assert.Contains("\"count\": 0", events[1].Details);
        Assert.True((await app.Services.GetRequiredService<AuditChain>().VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task TheAnonymisationAgeIsConfigurable()
    {
        var population = await PopulateAsync();
        var sooner = app.WithWebHostBuilder(b => b.UseSetting("Retention:AnonymiseResidenceAfterYears", "2"));

        await using var scope = sooner.Services.CreateAsyncScope();
        var plan = await scope.ServiceProvider.GetRequiredService<ResidenceRetention>().PlanAsync(CancellationToken.None);

        Assert.Equal(population.Eligible.Append(population.MovedOutRecently.PersonId).Order(), plan.PersonIds);
    }

    [Fact]
    public async Task TheScheduledJobAnonymisesWithoutBeingAsked()
    {
        var population = await PopulateAsync();
        var scheduled = app.WithWebHostBuilder(b => b.UseSetting("Retention:Scheduled", "true"));

        scheduled.CreateClient();
        var stopwatch = Stopwatch.StartNew();
        while (await app.WithDbAsync(db => db.Persons.CountAsync(p => p.AnonymisedAt != null)) < 3 && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        var anonymised = await app.WithDbAsync(db => db.Persons.Where(p => p.AnonymisedAt != null).Select(p => p.Id).ToListAsync());
        Assert.Equal(population.Eligible.Order(), anonymised.Order());
    }

    [Theory]
    [InlineData("Retention:KeepAuditYears", "2", "audit events must be kept at least 3 years")]
    [InlineData("Retention:AnonymiseResidenceAfterYears", "0", "AnonymiseResidenceAfterYears is 0")]
    public async Task RetentionBelowItsFloorIsRefusedAtStartUp(string key, string value, string reason)
    {
        await using var misconfigured = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("ConnectionStrings:Default", app.AppConnectionString)
            .UseSetting(key, value));

        var refused = Assert.ThrowsAny<Exception>(() => misconfigured.CreateClient());

        Assert.Contains(reason, refused.ToString());
    }

    [Fact]
    public async Task TheRetentionDryRunVerbListsIdsAndCountsButNoPersonalData()
    {
        var population = await PopulateAsync();

        var (exitCode, output, error) = await RunVerbAsync("retention", "run", "--dry-run");

        Assert.True(exitCode == 0, error);
        Assert.Contains("dry run: nothing was changed", output);
        Assert.Contains("persons to anonymise (every registration ended before ", output);
        Assert.Contains("): 3", output);
        Assert.All(population.Eligible, id => Assert.Contains(id.ToString("D"), output));
        Assert.DoesNotContain(population.MovedOutRecently.PersonId.ToString("D"), output);
        Assert.DoesNotContain("测试", output);
        Assert.DoesNotContain(population.MovedOutLongAgo.Phone, output);
        Assert.Contains("audit events older than ", output);
        Assert.Equal(0, await app.WithDbAsync(db => db.Persons.CountAsync(p => p.AnonymisedAt != null)));
    }

    [Fact]
    public async Task TheRetentionVerbRefusesAuditKeptForLessThanThreeYears()
    {
        var (exitCode, _, error) = await RunVerbAsync(["retention", "run", "--dry-run"], ("Retention__KeepAuditYears", "1"));

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: Retention:KeepAuditYears is 1; audit events must be kept at least 3 years.", error.Trim());
    }

    private async Task<T> WithRetentionAsync<T>(Func<ResidenceRetention, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ResidenceRetention>());
    }

    private Task<List<Person>> PersonsAsync(IEnumerable<Guid> ids) =>
        app.WithDbAsync(db => db.Persons.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync());

    // Everything retention could touch, as text, to compare before and after.
    private Task<string> SnapshotAsync() => app.WithDbAsync(async db =>
    {
        var persons = await db.Persons.AsNoTracking().OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, p.IdNumberIndex, p.PhoneIndex, p.BirthDate, p.AnonymisedAt }).ToListAsync();
        var registrations = await db.Registrations.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.Id, r.Employer }).ToListAsync();
        var auditEvents = await db.AuditEvents.CountAsync();
        return System.Text.Json.JsonSerializer.Serialize(new { persons, registrations, auditEvents });
    });

    private Task<VerbResult> RunVerbAsync(params string[] args) => RunVerbAsync(args, []);

    private Task<VerbResult> RunVerbAsync(string[] args, params (string Name, string Value)[] environment)
    {
        var variables = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__Default"] = app.AppConnectionString,
            ["Privacy__EncryptionKeys__1"] = TestKeys.EncryptionKey,
            ["Privacy__ActiveKeyId"] = "1",
            ["Privacy__BlindIndexKey"] = TestKeys.BlindIndexKey,
        };
        foreach (var (name, value) in environment) variables[name] = value;
        return SdpVerb.RunAsync(variables, args);
    }
}
