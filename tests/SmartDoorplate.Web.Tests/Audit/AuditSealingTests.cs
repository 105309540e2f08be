using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

// Appending and chaining are two steps (Audit/AuditEvent): these tests pin what the second step
// guarantees. Each test gets its own database (a new class instance, so a new factory, per test).
public sealed class AuditSealingTests : IAsyncLifetime
{
    private readonly ManualSealAppFactory app = new();

    public Task InitializeAsync() => ((IAsyncLifetime)app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task TheSealerLinksCommittedEventsWithoutAnyoneAsking()
    {
        await using var quick = new QuickSealerAppFactory();
        await ((IAsyncLifetime)quick).InitializeAsync();
        try
        {
            await using (var scope = quick.Services.CreateAsyncScope())
            {
                var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
                for (var i = 0; i < 3; i++) await trail.AppendAsync(new AuditEntry(AuditActions.PersonView, "person", Guid.NewGuid().ToString("D")));
            }

            var deadline = DateTime.UtcNow.AddSeconds(20);
            long[] positions = [];
            while (DateTime.UtcNow < deadline)
            {
                positions = await quick.WithDbAsync(db => db.AuditEvents.Where(e => e.ChainSeq != null)
                    .OrderBy(e => e.ChainSeq).Select(e => e.ChainSeq!.Value).ToArrayAsync());
                if (positions.Length == 3) break;
                await Task.Delay(100);
            }

            Assert.Equal([1L, 2L, 3L], positions);
        }
        finally
        {
            await ((IAsyncLifetime)quick).DisposeAsync();
        }
    }

    [Fact]
    public async Task ConcurrentAppendsInTheirOwnTransactionsAllEndUpInOneIntactChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(
                new AuditEntry(AuditActions.PersonView, "person", Guid.NewGuid().ToString("D"), Details: new { i }));
            await transaction.CommitAsync();
        }));

        var report = await VerifyAsync();
        var positions = await app.WithDbAsync(db => db.AuditEvents.OrderBy(e => e.ChainSeq).Select(e => e.ChainSeq).ToArrayAsync());

        Assert.True(report.Intact, report.ToString());
        Assert.Equal(40, report.EventCount);
        Assert.Equal(Enumerable.Range(1, 40).Select(n => (long?)n), positions);
    }

    [Fact]
    public async Task AnEventThatCommitsAfterALaterOneIsChainedAfterItAndTheChainStaysIntact()
    {
        await using var slowScope = app.Services.CreateAsyncScope();
        var slowDb = slowScope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        await using var slow = await slowDb.Database.BeginTransactionAsync();
        await slowScope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(new AuditEntry(AuditActions.PersonView, "person", "slow"));
        await using (var fastScope = app.Services.CreateAsyncScope())
        {
            await fastScope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(new AuditEntry(AuditActions.PersonView, "person", "fast"));
        }

        var sealedBeforeCommit = await SealAsync();
        await slow.CommitAsync();
        var sealedAfterCommit = await SealAsync();
        var rows = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToArrayAsync());

        Assert.Equal((1, 1), (sealedBeforeCommit, sealedAfterCommit));
        Assert.Equal(["slow", "fast"], rows.Select(r => r.TargetId));
        Assert.True(rows[0].ChainSeq > rows[1].ChainSeq);
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task EventsCommittedAfterTheSealAreCountedAsAwaitingItNotAsBroken()
    {
        await AppendAsync(AuditActions.PersonView, 2);
        await SealAsync();

        var report = await VerifyAsync();

        Assert.Equal((true, 2L, 0L), (report.Intact, report.EventCount, report.AwaitingSeal));
        Assert.Equal("audit chain intact: 2 events, 1 signed checkpoint", report.ToString());
    }

    [Fact]
    public async Task TheSealingSwitchLetsNobodyChangeWhatAnUnsealedEventSays()
    {
        var id = (await AppendAsync(AuditActions.PersonView, 1))[0];

        var refused = await Assert.ThrowsAsync<PostgresException>(() => AsOwnerWithSealingSwitchAsync(
            $"update audit_events set purpose = '例行检查', chain_seq = 1, previous_hash = '\\x00', hash = '\\x00' where id = {id}"));

        Assert.StartsWith("audit_events is append-only", refused.MessageText);
        Assert.Null(await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Id == id).Select(e => e.Purpose).SingleAsync()));
    }

    [Fact]
    public async Task ASealedEventCannotBeSealedAgain()
    {
        var id = (await AppendAsync(AuditActions.PersonView, 1))[0];
        await SealAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => AsOwnerWithSealingSwitchAsync(
            $"update audit_events set chain_seq = chain_seq + 100 where id = {id}"));

        Assert.StartsWith("audit_events is append-only", refused.MessageText);
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AnEventWithoutItsContentDigestIsRefused()
    {
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("insert into audit_events (at, action) values (now(), 'person_view')", connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }

    [Fact]
    public async Task EventsChainedBeforeSealingExistedStillVerifyAndNewOnesChainOntoThem()
    {
        // A database as it was before the SealedAuditChain migration, with rows chained the old way.
        var name = "sd_test_legacy_" + Guid.NewGuid().ToString("N")[..12];
        await using (var server = new NpgsqlConnection(TestDatabase.ServerConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", server);
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            var builder = new NpgsqlDataSourceBuilder(TestDatabase.ConnectionStringFor(name));
            builder.UseNetTopologySuite();
            await using var dataSource = builder.Build();
            await using (var db = new SmartDoorplateDb(new DbContextOptionsBuilder<SmartDoorplateDb>()
                .UseNpgsql(dataSource, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options))
            {
                await db.GetService<IMigrator>().MigrateAsync("20261124004458_LandlordDecisions");
                var previous = AuditHash.Genesis;
                for (var i = 0; i < 3; i++)
                {
                    var row = new AuditEvent
                    {
                        At = AuditHash.Truncate(DateTimeOffset.UtcNow),
                        ActorRole = "system",
                        Action = "retention_anonymise",
                        Details = $$"""{"count": {{i}}}""",
                        PreviousHash = previous,
                    };
                    row.Hash = AuditHash.ComputeUnkeyed(row);
                    await db.Database.ExecuteSqlAsync($"""
                        insert into audit_events (at, actor_role, action, details, previous_hash, hash)
                        values ({row.At}, {row.ActorRole}, {row.Action}, {row.Details}::jsonb, {row.PreviousHash}, {row.Hash})
                        """);
                    previous = row.Hash;
                }

                await db.Database.MigrateAsync();
                var next = new AuditEvent { At = AuditHash.Truncate(DateTimeOffset.UtcNow), ActorRole = "system", Action = "retention_anonymise" };
                await db.Database.ExecuteSqlAsync($"""
                    insert into audit_events (at, actor_role, action, content_hash)
                    values ({next.At}, {next.ActorRole}, {next.Action}, {AuditHash.ComputeContent(next)})
                    """);
            }

            var report = await AuditVerifier.VerifyAsync(app.Chain, dataSource, CancellationToken.None);
            await using var link = dataSource.CreateCommand("select (select previous_hash from audit_events where chain_seq = 4) = (select hash from audit_events where chain_seq = 3)");

            Assert.True(report.Intact, report.ToString());
            Assert.Equal(4, report.EventCount);
            Assert.True((bool)(await link.ExecuteScalarAsync())!);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var server = new NpgsqlConnection(TestDatabase.ServerConnectionString);
            await server.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", server);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("02:00:00")]
    public async Task ASealIntervalOutsideItsBoundsIsRefusedAtStartUp(string interval)
    {
        await using var misconfigured = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>()
            .WithWebHostBuilder(b => b
                .UseSetting("ConnectionStrings:Default", app.AppConnectionString)
                .UseSetting("Audit:SealEvery", interval));

        var refused = Assert.ThrowsAny<Exception>(() => misconfigured.CreateClient());

        Assert.Contains("Audit:SealEvery must be between 10 ms and 1 hour", refused.ToString());
    }

    private async Task<long[]> AppendAsync(AuditAction action, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        var before = await db.AuditEvents.Select(e => (long?)e.Id).MaxAsync() ?? 0;
        for (var i = 0; i < count; i++) await trail.AppendAsync(new AuditEntry(action, "person", Guid.NewGuid().ToString("D")));
        return await db.AuditEvents.Where(e => e.Id > before).OrderBy(e => e.Id).Select(e => e.Id).ToArrayAsync();
    }

    private Task<long> SealAsync() => app.SealAsync();

    private Task<AuditChainReport> VerifyAsync() => app.VerifyAsync();

    // The owner (the cluster superuser here) with the switch that audit_seal() sets: the trigger must
    // still refuse anything but a first seal that leaves every field as it was.
    private async Task AsOwnerWithSealingSwitchAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var on = new NpgsqlCommand("select set_config('sd.audit_sealing', 'on', true)", connection, transaction))
            await on.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private sealed class QuickSealerAppFactory : AppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>(DefaultSettings)
        {
            ["Audit:SealEvery"] = "00:00:00.100",
        };
    }
}
