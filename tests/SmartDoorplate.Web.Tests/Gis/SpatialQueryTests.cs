using Microsoft.EntityFrameworkCore;
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
    public async Task CasesWithinMetresTranslateToAnIndexableStDWithinAndAnExactOneOnTheSpheroid()
    {
        await using var db = await ImportDatabase.CreateAsync();
        await db.ImportJurisdictionsAsync();
        await db.ImportSuccessfullyAsync(ImportKind.Cases, "cases.geojson");
        await using var context = Context(db);
        // T-C-001 lies 0.001° of latitude (about 111 m) north of this point; the other cases kilometres away.
        var origin = Geo.Point(106.607, 26.611);

        var within150 = context.CasesWithin(origin, 150).OrderBy(c => c.CaseNumber).Select(c => c.CaseNumber);
        var within50 = context.CasesWithin(origin, 50).Select(c => c.CaseNumber);

        // The three-argument form on the geometry column can use its GiST index; the four-argument
        // form with use_spheroid => true is PostGIS's geography ST_DWithin, in metres.
        var sql = within150.ToQueryString();
        Assert.Matches(@"ST_DWithin\(c\.location, @\w+, @\w+\) AND ST_DWithin\(c\.location, @\w+, @\w+, TRUE\)", sql);
        Assert.Equal(["T-C-001"], await within150.ToListAsync());
        Assert.Empty(await within50.ToListAsync());
    }
}
