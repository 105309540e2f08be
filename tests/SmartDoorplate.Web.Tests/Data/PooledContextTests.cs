using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Data;

// SmartDoorplateDb instances are pooled (Data/DataServices): one that served an officer of one
// station goes on to serve other callers. It must take each caller's scope, not keep the last one's.
public sealed class PooledContextTests(PilotAppFactory app) : IClassFixture<PilotAppFactory>
{
    [Fact]
    public async Task AContextBackFromThePoolFiltersByItsNewCallersScopeAndHasItsSettingsReset()
    {
        // Two stations with different numbers of buildings, counted without a scope.
        Dictionary<long, int> buildingsOf;
        await using (var setup = app.Services.CreateAsyncScope())
        {
            var db = setup.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
            buildingsOf = await db.Buildings.GroupBy(b => b.Grid!.StationId).ToDictionaryAsync(g => g.Key, g => g.Count());
        }
        var (first, second) = (buildingsOf.Keys.Min(), buildingsOf.Keys.Max());
        Assert.NotEqual(buildingsOf[first], buildingsOf[second]);

        var accessor = app.Services.GetRequiredService<IHttpContextAccessor>();
        var lastCaller = new Dictionary<SmartDoorplateDb, long>(ReferenceEqualityComparer.Instance);
        var reusedAcrossStations = 0;
        try
        {
            for (var rent = 0; rent < 40; rent++)
            {
                var station = rent % 2 == 0 ? first : second;
                accessor.HttpContext = OfficerOf(station);
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();

                Assert.Equal(new CallerScope(ScopeKind.Station, 7, StationId: station), db.Scope);
                Assert.True(db.Database.AutoSavepointsEnabled);
                Assert.Equal(buildingsOf[station], await db.Buildings.CountAsync());

                if (lastCaller.TryGetValue(db, out var previous) && previous != station) reusedAcrossStations++;
                lastCaller[db] = station;
                // What TenantRegistration sets on its context: the pool must not pass it on.
                db.Database.AutoSavepointsEnabled = false;
            }
        }
        finally
        {
            accessor.HttpContext = null;
        }

        // The checks above ran on contexts that had served the other station just before.
        Assert.True(reusedAcrossStations > 0, "the pool never handed a context to a caller of another station");
    }

    private static DefaultHttpContext OfficerOf(long stationId) => new()
    {
        User = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "7"),
                new Claim(ClaimTypes.Role, Roles.PoliceOfficer),
                new Claim(ScopeClaims.StationId, stationId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            AuthServices.Scheme)),
    };
}
