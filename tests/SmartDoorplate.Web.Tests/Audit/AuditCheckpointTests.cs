using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Audit;
using SmartDoorplate.Hosting;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Audit;

// What a database superuser can no longer do unseen with keyed links, signed checkpoints and the
// anchor file, each checked through `sdp audit verify` as an operator runs it. Every test tampers,
// so each gets a database and an anchor of its own (a new class instance, so a new factory, per test).
public sealed class AuditCheckpointTests : IAsyncLifetime
{
    private readonly ManualSealAppFactory app = new();

    public Task InitializeAsync() => ((IAsyncLifetime)app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task EditingAnEventAndRecomputingItsLinkWithPlainSha256MakesVerifyExitOneNamingIt()
    {
        var ids = await AppendAsync(4);
        var forged = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Id == ids[1]));
        forged.Purpose = "无事由";
        var content = AuditHash.ComputeContent(forged);

        await AsSuperuserAsync($"""
            update audit_events set purpose = '无事由', content_hash = '\x{Convert.ToHexString(content)}',
                hash = sha256(previous_hash || '\x{Convert.ToHexString(content)}'::bytea)
            where id = {ids[1]}
            """);
        var verify = await app.RunVerbAsync("audit", "verify");

        Assert.Equal(1, verify.ExitCode);
        Assert.Matches($@"^error: audit chain broken at event #{ids[1]} \(at [\d\-T:.]+Z, action person_view\): hash mismatch$", verify.Error.Trim());
    }

    [Fact]
    public async Task DeletingEventsFromTheMiddleMakesVerifyExitOneNamingTheEventAfterThem()
    {
        var ids = await AppendAsync(6);

        await AsSuperuserAsync($"delete from audit_events where id in ({ids[2]}, {ids[3]})");
        var verify = await app.RunVerbAsync("audit", "verify");

        Assert.Equal(1, verify.ExitCode);
        Assert.Matches($@"^error: audit chain broken at event #{ids[4]} \(.*\): gap \(events after #{ids[1]} are missing\)$", verify.Error.Trim());
    }

    [Fact]
    public async Task DeletingTheNewestEventsBackToAnEarlierCheckpointTogetherWithTheLaterCheckpointsMakesVerifyExitOne()
    {
        var kept = await AppendAsync(3, checkpointNow: true);
        await AppendAsync(3, checkpointNow: true);
        Assert.Equal([3L, 6L], await app.WithDbAsync(db => db.AuditCheckpoints.OrderBy(c => c.ChainSeq).Select(c => c.ChainSeq).ToListAsync()));

        await AsSuperuserAsync("delete from audit_events where chain_seq > 3; delete from audit_checkpoints where chain_seq > 3");
        var inDatabaseAlone = await app.VerifyAsync();
        var verify = await app.RunVerbAsync("audit", "verify");

        Assert.Equal((AuditChainFault.CutShort, kept[2]), (inDatabaseAlone.Break?.Fault, inDatabaseAlone.Break?.EventId));
        Assert.Equal(1, verify.ExitCode);
        Assert.Matches($@"^error: audit chain cut short after event #{kept[2]} \(.*\): the anchor's checkpoint of [\d\-T:.]+Z signs chain position 6, " +
            @"but the chain ends at position 3: the events from position 4 on are missing$", verify.Error.Trim());
    }

    [Fact]
    public async Task DeletingTheNewestEventsButKeepingTheirCheckpointIsCaughtFromTheDatabaseAlone()
    {
        var ids = await AppendAsync(4, checkpointNow: true);
        File.Delete(app.AnchorPath);

        await AsSuperuserAsync($"delete from audit_events where id = {ids[3]}");
        var report = await app.VerifyAsync();

        Assert.Equal((ids[2], AuditChainFault.CutShort), (report.Break?.EventId, report.Break?.Fault));
        Assert.Contains("the database's checkpoint of ", report.ToString());
        Assert.EndsWith("signs chain position 4, but the chain ends at position 3: the events from position 4 on are missing", report.ToString());
    }

    [Theory]
    [InlineData("update audit_checkpoints set head_hash = set_byte(head_hash, 0, get_byte(head_hash, 0) # 1)", "the signature of the checkpoint at chain position 3 .* does not verify")]
    [InlineData("update audit_checkpoints set at = at - interval '1 hour'", "the signature of the checkpoint at chain position 3 .* does not verify")]
    [InlineData("update audit_checkpoints set signature = set_byte(signature, 5, get_byte(signature, 5) # 1)", "the signature of the checkpoint at chain position 3 .* does not verify")]
    [InlineData("delete from audit_checkpoints", @"the anchor's checkpoint at chain position 3 \(.*\) is missing from the database")]
    public async Task AlteringOrRemovingACheckpointRowMakesVerifyExitOneNamingTheEventItSigns(string tampering, string expected)
    {
        var ids = await AppendAsync(3);

        await AsSuperuserAsync(tampering);
        var verify = await app.RunVerbAsync("audit", "verify");

        Assert.Equal(1, verify.ExitCode);
        Assert.Matches($@"^error: audit chain broken at event #{ids[2]} \(.*\): {expected}$", verify.Error.Trim());
    }

    [Fact]
    public async Task ACheckpointMovedOntoAnEarlierEventNoLongerMatchesWhatItSigned()
    {
        var ids = await AppendAsync(3);

        // Re-signing is impossible without the key; moving the signed head is caught by the signature.
        await AsSuperuserAsync("update audit_checkpoints set chain_seq = 2");
        var report = await app.VerifyAsync();

        Assert.Equal((ids[1], AuditChainFault.CheckpointSignature), (report.Break?.EventId, report.Break?.Fault));
    }

    [Fact]
    public async Task EveryCheckpointIsSignedWithThePublishedKeyAndCopiedToTheAnchor()
    {
        await AppendAsync(2, checkpointNow: true);
        await AppendAsync(2, checkpointNow: true);

        var published = await app.CreateClient().GetFromJsonAsync<AuditCheckpointKeys>("/api/audit/checkpoint-key");
        var checkpoints = await app.WithDbAsync(db => db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.ChainSeq).ToListAsync());
        var anchored = (await File.ReadAllLinesAsync(app.AnchorPath)).Select(l => JsonSerializer.Deserialize<AuditAnchorLine>(l, JsonSerializerOptions.Web)!).ToList();
        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(Convert.FromBase64String(published!.Keys.Single(k => k.Id == published.ActiveKeyId).PublicKey), out _);

        Assert.Equal([2L, 4L], checkpoints.Select(c => c.ChainSeq));
        Assert.All(checkpoints, c => Assert.True(publicKey.VerifyData(
            AuditHash.CheckpointMessage(c.ChainSeq, c.HeadHash, c.At, c.LinkKeyId, c.SigningKeyId), c.Signature,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)));
        Assert.Equal(checkpoints.Select(c => AuditAnchorLine.From(app.DatabaseName, c)), anchored);
        Assert.Equal(2, (await app.VerifyAsync()).CheckpointCount);
    }

    [Fact]
    public async Task TheCheckpointKeyIsPublishedToAnonymousCallersWithoutThePrivateHalf()
    {
        var response = await app.CreateClient().GetAsync("/api/audit/checkpoint-key");
        var body = await response.Content.ReadAsStringAsync();
        var keys = JsonSerializer.Deserialize<AuditCheckpointKeys>(body, JsonSerializerOptions.Web)!;
        using var signing = ECDsa.Create();
        signing.ImportPkcs8PrivateKey(Convert.FromBase64String(TestKeys.AuditSigningKey), out _);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Convert.ToBase64String(signing.ExportSubjectPublicKeyInfo()), keys.Keys.Single().PublicKey);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", keys.Keys.Single().Pem);
        Assert.DoesNotContain(TestKeys.AuditSigningKey[..40], body);
    }

    [Fact]
    public async Task WhileEventsArriveTheHeadIsCheckpointedOnceTheIntervalHasPassedAndNotBefore()
    {
        await using var every5s = app.WithWebHostBuilder(b => b.UseSetting("Audit:CheckpointEvery", "00:00:05"));
        var chain = every5s.Services.GetRequiredService<AuditChain>();
        await AppendAsync(1);
        await AppendAsync(1);
        await chain.SealAsync(CancellationToken.None);
        var beforeTheInterval = await CheckpointPositionsAsync();

        await Task.Delay(TimeSpan.FromSeconds(5.2));
        await chain.SealAsync(CancellationToken.None);

        Assert.Equal([1L], beforeTheInterval);
        Assert.Equal([1L, 2L], await CheckpointPositionsAsync());
    }

    [Fact]
    public async Task StoppingTheAppSealsAndSignsItsLastEvents()
    {
        await AppendAsync(2);
        var other = app.WithWebHostBuilder(_ => { });
        await using (var scope = other.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(new AuditEntry(AuditActions.PersonView, AuditTargets.Person, Guid.NewGuid().ToString("D")));
        }

        await other.DisposeAsync();

        Assert.Equal([2L, 3L], await CheckpointPositionsAsync());
        Assert.Equal(2, File.ReadAllLines(app.AnchorPath).Length);
    }

    [Fact]
    public async Task SeveralInstancesSealingAtOnceBuildOneIntactChain()
    {
        await using var second = app.WithWebHostBuilder(_ => { });
        var chains = new[] { app.Chain, second.Services.GetRequiredService<AuditChain>() };

        await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            await AppendAsync(1, seal: false);
            await chains[i % 2].SealAsync(CancellationToken.None, i % 5 == 0 ? AuditCheckpointing.Now : AuditCheckpointing.WhenDue);
        }));
        var report = await app.VerifyAsync();

        Assert.True(report.Intact, report.ToString());
        Assert.Equal(30, report.EventCount);
        Assert.True(report.CheckpointCount >= 1);
    }

    [Fact]
    public async Task LinksOfARotatedKeyVerifyWhereTheKeyIsListedAndNameTheirFirstEventWhereItIsNot()
    {
        await AppendAsync(2);
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var rotated = app.WithWebHostBuilder(b => b.UseSetting("Audit:LinkKeys:3", newKey).UseSetting("Audit:ActiveLinkKeyId", "3"));
        var chain = rotated.Services.GetRequiredService<AuditChain>();
        var newKeyEvents = await AppendAsync(2, seal: false);
        await chain.SealAsync(CancellationToken.None, AuditCheckpointing.Now);

        var withBothKeys = await chain.VerifyAsync(CancellationToken.None);
        var withTheOldKeyOnly = await app.VerifyAsync();

        Assert.Equal(new int?[] { 1, 1, 3, 3 }, await app.WithDbAsync(db => db.AuditEvents.OrderBy(e => e.ChainSeq).Select(e => (int?)e.LinkKeyId).ToListAsync()));
        Assert.True(withBothKeys.Intact, withBothKeys.ToString());
        Assert.Equal((newKeyEvents[0], AuditChainFault.UnknownLinkKey), (withTheOldKeyOnly.Break?.EventId, withTheOldKeyOnly.Break?.Fault));
        Assert.EndsWith("link key 3 is not configured (Audit:LinkKeys)", withTheOldKeyOnly.ToString());
    }

    [Theory]
    [InlineData("update audit_checkpoints set at = now()")]
    [InlineData("delete from audit_checkpoints")]
    [InlineData("truncate audit_checkpoints")]
    public async Task CheckpointsAreAppendOnlyForTheAppAndTheOwnerAlike(string sql)
    {
        await AppendAsync(1);

        var asApp = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app.AppConnectionString, sql));
        var asOwner = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app.OwnerConnectionString, sql));

        Assert.Contains("permission denied for table audit_checkpoints", asApp.MessageText);
        Assert.StartsWith("audit_checkpoints is append-only", asOwner.MessageText);
        Assert.True((await app.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task TheDatabaseTakesOnlyLinksThatContinueTheChainsHead()
    {
        await AppendAsync(2);
        var pending = (await AppendAsync(1, seal: false))[0];

        // As sd_app, as a compromised app would: a link at a position that is not the next one.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app.AppConnectionString,
            $"select audit_seal_links(array[{pending}]::bigint[], array['\\x00'::bytea], 1::smallint, 7, '\\x00'::bytea)"));

        Assert.Equal(PostgresErrorCodes.SerializationFailure, refused.SqlState);
        Assert.Null(await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Id == pending).Select(e => e.ChainSeq).SingleAsync()));
    }

    [Fact]
    public async Task ProductionRefusesTheDevelopmentAuditKeys()
    {
        await using var production = app.WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Audit:LinkKeys:1", ProductionGuard.DevelopmentAuditLinkKey);
        });

        var failure = Record.Exception(() => production.CreateClient());

        var message = Assert.IsType<InvalidOperationException>(failure is AggregateException a ? a.InnerException : failure).Message;
        Assert.Contains("development audit link key or checkpoint signing key", message);
    }

    private async Task<long[]> AppendAsync(int count, bool seal = true, bool checkpointNow = false)
    {
        var ids = new List<long>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            var db = scope.ServiceProvider.GetRequiredService<SmartDoorplate.Data.SmartDoorplateDb>();
            for (var i = 0; i < count; i++)
            {
                var target = Guid.NewGuid().ToString("D");
                await trail.AppendAsync(new AuditEntry(AuditActions.PersonView, AuditTargets.Person, target, "核查登记信息", new { i }));
                ids.Add(await db.AuditEvents.Where(e => e.TargetId == target).Select(e => e.Id).SingleAsync());
            }
        }
        if (seal) await app.SealAsync(checkpointNow);
        return [.. ids];
    }

    private Task<List<long>> CheckpointPositionsAsync() =>
        app.WithDbAsync(db => db.AuditCheckpoints.OrderBy(c => c.ChainSeq).Select(c => c.ChainSeq).ToListAsync());

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // What only a superuser can do: switch the append-only triggers off for this session.
    private Task AsSuperuserAsync(string sql) =>
        ExecuteAsync(app.OwnerConnectionString, "set session_replication_role = replica; " + sql);
}
