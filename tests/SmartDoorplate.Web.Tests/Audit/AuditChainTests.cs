using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

// Every test tampers with the chain, so each gets a database of its own (xunit makes a new instance
// of this class, and so a new AppFactory, per test).
public sealed class AuditChainTests : IAsyncLifetime
{
    private readonly ManualSealAppFactory app = new();

    public Task InitializeAsync() => ((IAsyncLifetime)app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task AnUntouchedChainIsReportedIntactWithItsEventCount()
    {
        await AppendEventsAsync(5);

        var report = await VerifyAsync();

        Assert.True(report.Intact);
        Assert.Equal(5, report.EventCount);
        Assert.Equal("audit chain intact: 5 events, 1 signed checkpoint", report.ToString());
    }

    [Fact]
    public async Task AnEventAppendedOutsideARequestIsAttributedToTheSystem()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(new AuditEntry(AuditActions.RetentionAnonymise, Details: new { count = 0 }));
        }
        await SealAsync();

        var row = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync());

        Assert.Equal("system", row.ActorRole);
        Assert.Null(row.ActorUserId);
        Assert.Equal(AuditHash.Genesis, row.PreviousHash);
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task NumbersInDetailsThatTheDatabaseRewritesStillVerify()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // jsonb prints 1E-05 as 0.00001 and 1E+21 in full; the hash must not depend on notation.
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(
                new AuditEntry(AuditActions.RetentionAnonymise, Details: new { small = 0.00001, large = 1e21, huge = 1e300, price = 1.50m, count = 3 }));
        }

        var report = await VerifyAsync();

        Assert.True(report.Intact, report.ToString());
    }

    // For text, ascii() is the code point of the first character: xor 1 changes one bit of one byte
    // of its UTF-8 form, for the ASCII and CJK characters used here.
    [Theory]
    [InlineData("at", "at + interval '1 microsecond'")]
    [InlineData("actor_user_id", "actor_user_id # 1")]
    [InlineData("actor_name", "overlay(actor_name placing chr(ascii(actor_name) # 1) from 1 for 1)")]
    [InlineData("actor_role", "overlay(actor_role placing chr(ascii(actor_role) # 1) from 1 for 1)")]
    [InlineData("actor_organisation", "overlay(actor_organisation placing chr(ascii(actor_organisation) # 1) from 1 for 1)")]
    [InlineData("action", "overlay(action placing chr(ascii(action) # 1) from 1 for 1)")]
    [InlineData("target_type", "overlay(target_type placing chr(ascii(target_type) # 1) from 1 for 1)")]
    [InlineData("target_id", "overlay(target_id placing chr(ascii(target_id) # 1) from 1 for 1)")]
    [InlineData("purpose", "overlay(purpose placing chr(ascii(purpose) # 1) from 1 for 1)")]
    [InlineData("client_address", "overlay(client_address placing chr(ascii(client_address) # 1) from 1 for 1)")]
    [InlineData("details", "jsonb_set(details, '{count}', to_jsonb((details->>'count')::int # 1))")]
    [InlineData("previous_hash", "set_byte(previous_hash, 0, get_byte(previous_hash, 0) # 1)")]
    [InlineData("hash", "set_byte(hash, 31, get_byte(hash, 31) # 1)")]
    public async Task ChangingOneByteOfAnyFieldOfAMiddleEventBreaksTheChainAtThatEvent(string column, string newValue)
    {
        var ids = await AppendEventsAsync(5);
        var middle = ids[2];

        var changed = await TamperAsSuperuserAsync($"update audit_events set {column} = {newValue} where id = {middle}");
        var report = await VerifyAsync();

        Assert.Equal(1, changed);
        Assert.False(report.Intact);
        Assert.Equal(middle, report.Break!.EventId);
        Assert.Equal(AuditChainFault.HashMismatch, report.Break.Fault);
        Assert.StartsWith($"audit chain broken at event #{middle} (at ", report.ToString());
        Assert.EndsWith("): hash mismatch", report.ToString());
    }

    // What a superuser could do to the plain SHA-256 chain: rewrite an event and recompute its link
    // (content digest and all), with or without pretending it was linked before keyed links.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RewritingAnEventAndRelinkingItWithPlainSha256BreaksTheChainAtThatEvent(bool posingAsUnkeyed)
    {
        var ids = await AppendEventsAsync(5);
        var forged = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Id == ids[2]));
        forged.Purpose = "例行检查";
        var content = AuditHash.ComputeContent(forged);
        var link = AuditHash.ComputeChained(forged.PreviousHash!, content);

        await TamperAsSuperuserAsync($"update audit_events set purpose = '例行检查', content_hash = '\\x{Convert.ToHexString(content)}', " +
            $"hash = '\\x{Convert.ToHexString(link)}'{(posingAsUnkeyed ? ", link_key_id = null" : "")} where id = {ids[2]}");
        var report = await VerifyAsync();

        Assert.Equal(ids[2], report.Break?.EventId);
        Assert.Equal(AuditChainFault.HashMismatch, report.Break!.Fault);
    }

    [Fact]
    public async Task DeletingAMiddleEventIsReportedAsAGapAtTheEventAfterIt()
    {
        var ids = await AppendEventsAsync(5);

        await TamperAsSuperuserAsync($"delete from audit_events where id = {ids[2]}");
        var report = await VerifyAsync();

        Assert.Equal(ids[3], report.Break?.EventId);
        Assert.Equal(AuditChainFault.Gap, report.Break!.Fault);
        Assert.EndsWith($"gap (events after #{ids[1]} are missing)", report.ToString());
    }

    [Fact]
    public async Task DeletingTheFirstEventIsReportedAsAGap()
    {
        var ids = await AppendEventsAsync(3);

        await TamperAsSuperuserAsync($"delete from audit_events where id = {ids[0]}");
        var report = await VerifyAsync();

        Assert.Equal(ids[1], report.Break?.EventId);
        Assert.Equal(AuditChainFault.Gap, report.Break!.Fault);
    }

    [Fact]
    public async Task AnAppendRolledBackWithItsTransactionLeavesNoFalseGap()
    {
        await AppendEventsAsync(2);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(new AuditEntry(AuditActions.PersonView, "person", Guid.NewGuid().ToString("D")));
            await transaction.RollbackAsync();
        }
        await AppendEventsAsync(2);

        var report = await VerifyAsync();

        Assert.True(report.Intact, report.ToString());
        Assert.Equal(4, report.EventCount);
    }

    [Theory]
    [InlineData("update audit_events set purpose = 'x'")]
    [InlineData("delete from audit_events")]
    [InlineData("truncate audit_events")]
    public async Task TheAppsDatabaseRoleIsRefusedChangingAuditEvents(string sql)
    {
        await AppendEventsAsync(2);
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("permission denied for table audit_events", refused.MessageText);
        Assert.True((await VerifyAsync()).Intact);
    }

    [Theory]
    [InlineData("update audit_events set purpose = 'x'")]
    [InlineData("delete from audit_events")]
    [InlineData("truncate audit_events")]
    public async Task TheTriggerRefusesChangingAuditEventsEvenToTheOwner(string sql)
    {
        await AppendEventsAsync(2);
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.StartsWith("audit_events is append-only", refused.MessageText);
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditEvents.CountAsync()));
    }

    [Fact]
    public async Task TheAuditVerifyVerbExitsZeroOnAnIntactChainAndOneNamingTheChangedEvent()
    {
        var ids = await AppendEventsAsync(3);

        var intact = await app.RunVerbAsync("audit", "verify");
        await TamperAsSuperuserAsync($"update audit_events set target_id = overlay(target_id placing chr(ascii(target_id) # 1) from 1 for 1) where id = {ids[1]}", disableTrigger: true);
        var broken = await app.RunVerbAsync("audit", "verify");

        Assert.Equal((0, "audit chain intact: 3 events, 1 signed checkpoint"), (intact.ExitCode, intact.Output.Trim()));
        Assert.Equal(1, broken.ExitCode);
        Assert.Matches($@"^error: audit chain broken at event #{ids[1]} \(at \d{{4}}-\d\d-\d\dT[\d:.]+Z, action person_view\): hash mismatch$", broken.Error.Trim());
    }

    private async Task<long[]> AppendEventsAsync(int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        var before = await db.AuditEvents.Select(e => (long?)e.Id).MaxAsync() ?? 0;
        for (var i = 0; i < count; i++)
        {
            // Every field filled in, so that a change to any of them can be tested.
            await trail.AppendAsync(new AuditEvent
            {
                At = AuditHash.Truncate(DateTimeOffset.UtcNow),
                ActorUserId = 40 + i,
                ActorName = "police.gaicha",
                ActorRole = "police_officer",
                ActorOrganisation = "云岩区公安分局测试派出所",
                Action = "person_view",
                TargetType = "person",
                TargetId = Guid.NewGuid().ToString("D"),
                Purpose = "核查登记信息",
                ClientAddress = "127.0.0.1",
                Details = $$"""{"count": {{i + 2}}, "grid": "改茶村"}""",
            }, CancellationToken.None);
        }
        // The app's sealer would link them within half a second; tampering tests need them linked first.
        await SealAsync();
        return await db.AuditEvents.Where(e => e.Id > before).OrderBy(e => e.Id).Select(e => e.Id).ToArrayAsync();
    }

    private Task<long> SealAsync() => app.SealAsync();

    private Task<AuditChainReport> VerifyAsync() => app.VerifyAsync();

    // What only a superuser can do: switch the append-only trigger off, for this session
    // (session_replication_role) or for the table.
    private async Task<int> TamperAsSuperuserAsync(string sql, bool disableTrigger = false)
    {
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        var bypass = disableTrigger
            ? ("alter table audit_events disable trigger audit_events_append_only", "alter table audit_events enable trigger audit_events_append_only")
            : ("set session_replication_role = replica", "set session_replication_role = origin");
        await using (var off = new NpgsqlCommand(bypass.Item1, connection)) await off.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var changed = await command.ExecuteNonQueryAsync();
        await using (var on = new NpgsqlCommand(bypass.Item2, connection)) await on.ExecuteNonQueryAsync();
        return changed;
    }
}
