using SmartDoorplate.Analytics.Geodesy;

namespace SmartDoorplate.Analytics.Tests.Geodesy;

public class ChinaCoordinatesTests
{
    // Test vectors of googollee/eviltransform (c/test.c, python/test.py, php tests), the reference
    // implementation most Chinese GIS code copies: WGS84 lat, lon → GCJ-02 lat, lon.
    [Theory]
    [InlineData(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215)] // Shanghai
    [InlineData(22.543847, 113.912316, 22.540796131694766, 113.9171764808363)] // Shenzhen
    [InlineData(39.911954, 116.377817, 39.91334545536069, 116.38404722455657)] // Beijing
    public void ForwardTransformMatchesEviltransformVectors(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var gcj = ChinaCoordinates.Wgs84ToGcj02(new GeoPoint(wgsLon, wgsLat));

        // 1e-12° ≈ 0.1 µm: agreement to floating-point noise, not just to the 6 decimals eviltransform checks.
        Assert.Equal(gcjLon, gcj.Longitude, 1e-12);
        Assert.Equal(gcjLat, gcj.Latitude, 1e-12);
    }

    [Theory]
    [InlineData(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215)]
    [InlineData(22.543847, 113.912316, 22.540796131694766, 113.9171764808363)]
    [InlineData(39.911954, 116.377817, 39.91334545536069, 116.38404722455657)]
    public void InverseOfEviltransformVectorsRecoversWgs84(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var wgs = ChinaCoordinates.Gcj02ToWgs84(new GeoPoint(gcjLon, gcjLat));

        // The published GCJ values are rounded to ~1e-14°, so the inverse can only be that close.
        Assert.Equal(wgsLon, wgs.Longitude, 1e-9);
        Assert.Equal(wgsLat, wgs.Latitude, 1e-9);
    }

    [Fact]
    public void RoundTripAroundGuiyangIsExactTo1e7Degrees()
    {
        var worst = 0.0;
        for (var lon = 106.6; lon <= 106.8 + 1e-9; lon += 0.01)
        {
            for (var lat = 26.5; lat <= 26.7 + 1e-9; lat += 0.01)
            {
                var wgs = new GeoPoint(lon, lat);
                var back = ChinaCoordinates.Gcj02ToWgs84(ChinaCoordinates.Wgs84ToGcj02(wgs));
                worst = Math.Max(worst, Math.Max(Math.Abs(back.Longitude - lon), Math.Abs(back.Latitude - lat)));
            }
        }

        Assert.True(worst < 1e-7, $"worst round-trip error {worst}°");
    }

    [Fact]
    public void ShiftAroundGuiyangIsAFewHundredMetres()
    {
        for (var lon = 106.6; lon <= 106.8 + 1e-9; lon += 0.05)
        {
            for (var lat = 26.5; lat <= 26.7 + 1e-9; lat += 0.05)
            {
                var wgs = new GeoPoint(lon, lat);
                var shift = GreatCircle.DistanceMetres(wgs, ChinaCoordinates.Wgs84ToGcj02(wgs));

                Assert.InRange(shift, 100, 800);
            }
        }
    }

    [Theory]
    [InlineData(0.0, 0.0)] // Null Island
    [InlineData(151.2093, -33.8688)] // Sydney
    [InlineData(139.6917, 35.6895)] // Tokyo, east of the rectangle
    [InlineData(71.9, 30.0)] // just west of the rectangle
    [InlineData(100.0, 56.0)] // just north of the rectangle
    public void PointsOutsideChinaAreUnchangedBothWays(double lon, double lat)
    {
        var point = new GeoPoint(lon, lat);

        Assert.True(ChinaCoordinates.IsOutOfChina(point));
        Assert.Equal(point, ChinaCoordinates.Wgs84ToGcj02(point));
        Assert.Equal(point, ChinaCoordinates.Gcj02ToWgs84(point));
    }

    [Fact]
    public void GuiyangIsInsideChina()
    {
        Assert.False(ChinaCoordinates.IsOutOfChina(new GeoPoint(106.63, 26.65)));
    }
}
