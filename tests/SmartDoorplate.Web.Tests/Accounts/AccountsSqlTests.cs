using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Accounts;

// The accounts' statements that stay SQL: what each returns, and the plan of the one every signed-in
// request may run.
public sealed class AccountsSqlTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task TheAccountLookUpOfARequestReadsUsersAndEndedSessionsByTheirKeys()
    {
        await using var connection = new NpgsqlConnection(app.AppConnectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain (format json) " + AccountsSql.State, connection);
        explain.Parameters.Add(new NpgsqlParameter<long> { TypedValue = 1 });
        explain.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "session" });
        var plan = (string)(await explain.ExecuteScalarAsync())!;

        Assert.Contains("\"Index Name\": \"pk_users\"", plan);
        Assert.Contains("\"Index Name\": \"pk_ended_sessions\"", plan);
    }

    [Fact]
    public async Task TheAccountLookUpSaysWhetherTheAccountExistsAndWhetherTheSessionEnded()
    {
        var userId = await NewUserAsync();
        var sessionId = Guid.NewGuid().ToString("N");
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();

        var before = await AccountsSql.StateAsync(dataSource, userId, sessionId, CancellationToken.None);
        var inserted = await app.WithDbAsync(db => AccountsSql.InsertEndedSessionAsync(db, sessionId, userId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(8), CancellationToken.None));
        var again = await app.WithDbAsync(db => AccountsSql.InsertEndedSessionAsync(db, sessionId, userId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(8), CancellationToken.None));
        var after = await AccountsSql.StateAsync(dataSource, userId, sessionId, CancellationToken.None);
        var nobody = await AccountsSql.StateAsync(dataSource, -1, sessionId, CancellationToken.None);

        Assert.Equal(("landlord", false, false), (before.Account!.Role, before.Account.Disabled, before.Ended));
        Assert.Equal((1, 0), (inserted, again));
        Assert.True(after.Ended);
        Assert.Null(nobody.Account);
    }

    [Fact]
    public async Task StampingEndsSessionsFromTheNextWholeSecondOfTheDatabaseClock()
    {
        var userId = await NewUserAsync();

        var (stamped, missing, since, before, after) = await app.WithDbAsync(async db =>
        {
            var before = await DatabaseNowAsync(db);
            var stamped = await AccountsSql.StampSessionsSinceAsync(db, userId, CancellationToken.None);
            var missing = await AccountsSql.StampSessionsSinceAsync(db, -1, CancellationToken.None);
            var after = await DatabaseNowAsync(db);
            var since = await db.Database.SqlQuery<DateTimeOffset>($"select sessions_since as \"Value\" from users where id = {userId}").SingleAsync();
            return (stamped, missing, since, before, after);
        });

        Assert.Equal((1, 0), (stamped, missing));
        Assert.Equal(0, since.UtcTicks % TimeSpan.TicksPerSecond);
        Assert.InRange(since, WholeSecond(before).AddSeconds(1), WholeSecond(after).AddSeconds(1));
    }

    [Fact]
    public async Task SignInFailuresCountUpPerNameAndAddressAndStartAgainOnceForgotten()
    {
        var nameIndex = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var now = DateTimeOffset.UtcNow;

        var counts = await app.WithDbAsync(async db => new[]
        {
            await AccountsSql.CountSignInFailureAsync(db, nameIndex, "192.0.2.1", now, now.AddHours(-1), CancellationToken.None),
            await AccountsSql.CountSignInFailureAsync(db, nameIndex, "192.0.2.1", now.AddSeconds(1), now.AddHours(-1), CancellationToken.None),
            await AccountsSql.CountSignInFailureAsync(db, nameIndex, "192.0.2.2", now.AddSeconds(2), now.AddHours(-1), CancellationToken.None),
            await AccountsSql.CountSignInFailureAsync(db, nameIndex, "192.0.2.1", now.AddHours(2), now.AddHours(1), CancellationToken.None),
        });

        Assert.Equal(new[] { 1, 2, 1, 1 }, counts);
    }

    private static Task<DateTimeOffset> DatabaseNowAsync(SmartDoorplateDb db) =>
        db.Database.SqlQuery<DateTimeOffset>($"select now() as \"Value\"").SingleAsync();

    private static DateTimeOffset WholeSecond(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private Task<long> NewUserAsync() => app.WithDbAsync(async db =>
    {
        var user = new User { UserName = "sql." + Guid.NewGuid().ToString("N")[..12], DisplayName = "SQL", Role = Role.Landlord };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    });
}
