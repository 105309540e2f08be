using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using SmartDoorplate.Data;
using SmartDoorplate.Loading.Import;

namespace SmartDoorplate.Web.Tests.Import;

public sealed class ImportGeometryTests
{
    // Footprints whose corners lie on a 5 × 5 lattice are often degenerate: crossing (bow-ties), touching
    // themselves at a corner, doubling back along an edge, repeating a corner, or flat. Whatever shortcut
    // the importer takes for simple footprints, it accepts exactly the footprints IsValidOp accepts, and
    // names the problem of the others as IsValidOp does.
    [Fact]
    public void AFootprintIsAcceptedExactlyWhenIsValidOpFindsItValidAndOtherwiseGetsItsReason()
    {
        var random = new Random(Environment.TickCount);
        var accepted = 0;
        var refused = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var corners = random.Next(3, 8);
            var ring = Enumerable.Range(0, corners)
                .Select(_ => new Coordinate(106.6 + 0.0001 * random.Next(5), 26.6 + 0.0001 * random.Next(5)))
                .ToList();
            ring.Add(ring[0].Copy());
            Polygon polygon;
            try
            {
                polygon = Geo.Factory.CreatePolygon([.. ring]);
            }
            catch (ArgumentException)
            {
                continue;
            }

            var problems = new List<string>();
            var imported = ImportGeometry.ToPolygon(polygon, SourceCrs.Wgs84, problems);
            var error = new IsValidOp(polygon).ValidationError;

            if (error is null)
            {
                Assert.True(imported is not null, $"{polygon} is valid but was refused: {string.Join("; ", problems)}");
                accepted++;
            }
            else
            {
                Assert.Null(imported);
                Assert.Equal($"invalid geometry: {error.Message} at ({ImportGeometry.Format(error.Coordinate.X)}, {ImportGeometry.Format(error.Coordinate.Y)})",
                    Assert.Single(problems));
                refused++;
            }
        }

        // Both kinds were drawn often enough for the comparison to mean something.
        Assert.True(accepted > 1_000 && refused > 1_000, $"{accepted} accepted, {refused} refused");
    }
}
