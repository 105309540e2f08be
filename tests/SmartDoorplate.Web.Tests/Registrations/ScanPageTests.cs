using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Web.Tests.Accounts;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Registrations;

public sealed class ScanPageTests(ScopeWorldFixture app) : IClassFixture<ScopeWorldFixture>
{
    [Fact]
    public async Task EveryScanOfAReplacedPlateIsLoggedForThePolice()
    {
        var client = app.CreateClient();
        var before = await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "revoked_plate_scanned"));

        var first = await client.GetAsync($"/d/{app.World.RevokedPlateA}");
        var second = await client.GetAsync($"/d/{app.World.RevokedPlateA}");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("此门牌已更换", await second.Content.ReadAsStringAsync());
        Assert.Equal(before + 2, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "revoked_plate_scanned")));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task AReissuedPlatesOldCodeSaysReplacedAtOnceDespiteTheCache()
    {
        var tenant = app.CreateClient();
        var oldCode = app.World.PlateB;
        var cached = await tenant.GetStringAsync($"/d/{oldCode}");
        var admin = await app.SignedInClientAsync("t.admin");

        var reissued = await admin.PostAsJsonAsync($"/api/buildings/{app.World.BuildingB}/doorplate/reissue", new { reason = "测试缓存" });
        var afterwards = await tenant.GetStringAsync($"/d/{oldCode}");

        Assert.Contains("我要登记", cached);
        Assert.Equal(HttpStatusCode.Created, reissued.StatusCode);
        Assert.Contains("此门牌已更换", afterwards);
        Assert.DoesNotContain("我要登记", afterwards);
    }

    [Fact]
    public async Task TheScanPageShowsNoResidentAndAnUnknownCodeIs404()
    {
        var page = await app.CreateClient().GetStringAsync($"/d/{app.World.PlateA.ToLowerInvariant()}");
        var unknown = await app.CreateClient().GetAsync("/d/0000000000000000");

        Assert.Contains("测试甲派出所", page);
        Assert.DoesNotContain(app.World.PersonAName, page);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
