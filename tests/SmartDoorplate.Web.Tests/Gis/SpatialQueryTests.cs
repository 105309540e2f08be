using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Loading.Import;
using SmartDoorplate.Web.Tests.Import;

namespace SmartDoorplate.Web.Tests.Gis;

public sealed class SpatialQueryTests
{
    private static SmartDoorplateDb Context(ImportDatabase db) => new(new DbContextOptionsBuilder<SmartDoorplateDb>()
        .UseNpgsql(db.DataSource, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);

    [Fact]
    public async Task CasesInAGridTranslateToStIntersectsAndFindTheCasesInside()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        await db.ImportSuccessfullyAsync(ImportKind.Cases, "cases.geojson");
        await using var context = Context(db);
        var gridId = await context.Grids.Where(g => g.Code == "T-GC-01").Select(g => g.Id).SingleAsync();

        var query = context.CasesInGrid(gridId).Select(c => c.CaseNumber);

        Assert.Contains("ST_Intersects(", query.ToQueryString());
        Assert.Equal(["T-C-001"], await query.ToListAsync());
    }

    [Fact]
    public async Task BuildingsWithinMetresTranslateToAnIndexableStDWithinAndAnExactOneOnTheSpheroid()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        await db.ImportSuccessfullyAsync(ImportKind.Buildings, "buildings.geojson");
        await using var context = Context(db);
        // Entrances of T-B-0001 and T-B-0002 are 0.001° of latitude (about 111 m) apart.
        var origin = Geo.Point(106.6051, 26.61);

        var within150 = context.BuildingsWithin(origin, 150).OrderBy(b => b.Code).Select(b => b.Code);
        var within50 = context.BuildingsWithin(origin, 50).Select(b => b.Code);

        // The three-argument form on the geometry column can use its GiST index; the four-argument
        // form with use_spheroid => true is PostGIS's geography ST_DWithin, in metres.
        var sql = within150.ToQueryString();
        Assert.Matches(@"ST_DWithin\(b\.entrance, @\w+, @\w+\) AND ST_DWithin\(b\.entrance, @\w+, @\w+, TRUE\)", sql);
        Assert.Equal(["T-B-0001", "T-B-0002"], await within150.ToListAsync());
        Assert.Equal(["T-B-0001"], await within50.ToListAsync());
    }
}
