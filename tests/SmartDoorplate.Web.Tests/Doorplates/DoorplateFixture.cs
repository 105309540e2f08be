using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Gis;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Doorplates;

// The two-station TestWorld, plus buildings of grid A on 改茶路三巷 with plates: a let house and a
// shop side by side (their plates must look alike), and one kept for reissuing. Station A gets a
// community officer, whose name and phone must never reach a plate.
public class DoorplateFixture : AppFactory
{
    public const string GridCode = "T-A-01";
    public const string Road = "改茶路三巷";
    public const string OfficerName = "赵警官";
    public const string OfficerPhone = "13700001111";
    public const string StationAName = "测试甲派出所";
    public const string StationAHotline = "0851-80000001";

    private TestWorld? world;
    public TestWorld World => world ?? throw new InvalidOperationException("not initialised");
    public long RentalBuilding { get; private set; }
    public long ShopBuilding { get; private set; }
    public long ReissueBuilding { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        world = await TestWorld.CreateAsync(this);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartDoorplateDb>();
        var grid = await db.Grids.Include(g => g.Station).SingleAsync(g => g.Code == GridCode);
        grid.Station!.OfficerName = OfficerName;
        grid.Station.OfficerPhone = OfficerPhone;
        var landlord = await db.Users.SingleAsync(u => u.UserName == "t.landlord.a");

        Building NewBuilding(string code, string number, BuildingUse use, double lon)
        {
            var building = new Building
            {
                Code = code, Grid = grid, Owner = use == BuildingUse.RentalHouse ? landlord : null, Floors = 4, Use = use,
                Address = new StandardAddress
                {
                    DistrictCode = "520103", Street = "黔灵镇", Community = "测试村", Road = Road, Number = number,
                    FullText = StandardAddress.Compose("云岩区", "黔灵镇", "测试村", Road, number),
                },
                Footprint = (Polygon)TestWorld.Box(lon, 26.63, lon + 0.0001, 26.6301).GetGeometryN(0),
                Entrance = Geo.Point(lon, 26.63),
            };
            db.Buildings.Add(building);
            return building;
        }
        var rental = NewBuilding("T-A-0012", "12号", BuildingUse.RentalHouse, 106.651);
        var shop = NewBuilding("T-A-0013", "13号", BuildingUse.Shop, 106.652);
        var reissue = NewBuilding("T-A-0014", "14号", BuildingUse.RentalHouse, 106.653);
        await db.SaveChangesAsync();
        (RentalBuilding, ShopBuilding, ReissueBuilding) = (rental.Id, shop.Id, reissue.Id);

        // TestWorld's own buildings stay without plates: printing must issue theirs.
        long[] plated = [RentalBuilding, ShopBuilding, ReissueBuilding];
        await DoorplateIssuing.IssueMissingAsync(db, scope.ServiceProvider.GetRequiredService<AuditTrail>(),
            db.Buildings.Where(b => plated.Contains(b.Id)).Select(b => b.Id), CancellationToken.None);
    }

    public Task<string> CurrentCodeAsync(long buildingId) => WithDbAsync(db =>
        db.Doorplates.Where(d => d.BuildingId == buildingId && d.RevokedAt == null).Select(d => d.Code).SingleAsync());
}
