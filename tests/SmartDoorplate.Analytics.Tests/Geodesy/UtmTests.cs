using System.Globalization;
using SmartDoorplate.Analytics.Geodesy;

namespace SmartDoorplate.Analytics.Tests.Geodesy;

public class UtmTests
{
    private const double OneMillimetre = 0.001;

    // About 0.01 mm on the ground; the inverse should be as good as the forward.
    private const double OneHundredMillionthDegree = 1e-8;

    // Reference points projected with GDAL/PROJ (see the header line of the CSV for the command).
    // PROJ's UTM uses the Poder/Engsager extended transverse Mercator, an independent
    // implementation accurate to well below a millimetre inside the zone.
    public static TheoryData<GdalReferencePoint> GdalReferencePoints()
    {
        var data = new TheoryData<GdalReferencePoint>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "utm-gdal.csv")).Skip(2))
        {
            var fields = line.Split(',');
            data.Add(new GdalReferencePoint(
                int.Parse(fields[0], CultureInfo.InvariantCulture),
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                fields[2] == "N",
                new GeoPoint(ParseDouble(fields[3]), ParseDouble(fields[4])),
                ParseDouble(fields[5]),
                ParseDouble(fields[6])));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GdalReferencePoints))]
    public void ForwardMatchesGdalToAMillimetre(GdalReferencePoint reference)
    {
        var utm = Utm.FromWgs84(reference.Geographic, reference.Zone, reference.IsNorth);

        Assert.Equal(reference.Epsg, utm.Epsg);
        Assert.Equal(reference.Easting, utm.Easting, OneMillimetre);
        Assert.Equal(reference.Northing, utm.Northing, OneMillimetre);
    }

    [Theory]
    [MemberData(nameof(GdalReferencePoints))]
    public void InverseOfGdalEastingNorthingRecoversTheGeographicPoint(GdalReferencePoint reference)
    {
        var geographic = Utm.ToWgs84(new UtmCoordinate(reference.Zone, reference.IsNorth, reference.Easting, reference.Northing));

        Assert.Equal(reference.Geographic.Longitude, geographic.Longitude, OneHundredMillionthDegree);
        Assert.Equal(reference.Geographic.Latitude, geographic.Latitude, OneHundredMillionthDegree);
    }

    [Fact]
    public void GuiyangFallsInZone48North()
    {
        var utm = Utm.FromWgs84(new GeoPoint(106.67, 26.61));

        Assert.Equal(48, utm.Zone);
        Assert.True(utm.IsNorth);
        Assert.Equal(32648, utm.Epsg);
    }

    [Theory]
    [InlineData(-180.0, 1)]
    [InlineData(-177.0, 1)]
    [InlineData(-174.0, 2)]
    [InlineData(0.0, 31)]
    [InlineData(101.999, 47)]
    [InlineData(102.0, 48)]
    [InlineData(107.999, 48)]
    [InlineData(108.0, 49)]
    [InlineData(179.999, 60)]
    [InlineData(180.0, 1)]
    [InlineData(186.0, 2)]
    public void ZoneIsTheSixDegreeBandContainingTheLongitude(double longitude, int expectedZone)
    {
        Assert.Equal(expectedZone, Utm.ZoneOf(longitude));
    }

    [Fact]
    public void CentralMeridianOfZone48Is105East()
    {
        Assert.Equal(105.0, Utm.CentralMeridianOf(48));
    }

    [Fact]
    public void SouthernPointsGetTheTenThousandKilometreFalseNorthing()
    {
        var utm = Utm.FromWgs84(new GeoPoint(105.0, -0.000001));

        Assert.False(utm.IsNorth);
        Assert.Equal(32748, utm.Epsg);
        Assert.Equal(10_000_000.0, utm.Northing, 1.0);
        Assert.Equal(500_000.0, utm.Easting, OneMillimetre);
    }

    [Fact]
    public void RoundTripOverGuiyangIsBelowAMicrometre()
    {
        var worstMetres = 0.0;
        for (var lon = 106.4; lon <= 107.0 + 1e-9; lon += 0.05)
        {
            for (var lat = 26.3; lat <= 26.9 + 1e-9; lat += 0.05)
            {
                var utm = Utm.FromWgs84(new GeoPoint(lon, lat), 48, north: true);
                var back = Utm.FromWgs84(Utm.ToWgs84(utm), 48, north: true);
                worstMetres = Math.Max(worstMetres, Math.Max(Math.Abs(back.Easting - utm.Easting), Math.Abs(back.Northing - utm.Northing)));
            }
        }

        Assert.True(worstMetres < 1e-6, $"worst round-trip error {worstMetres} m");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void ZonesOutside1To60AreRejected(int zone)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Utm.FromWgs84(new GeoPoint(106.67, 26.61), zone, north: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => Utm.ToWgs84(new UtmCoordinate(zone, true, 500_000, 0)));
    }

    private static double ParseDouble(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    public sealed record GdalReferencePoint(int Epsg, int Zone, bool IsNorth, GeoPoint Geographic, double Easting, double Northing)
    {
        public override string ToString() => $"EPSG:{Epsg} {Geographic.Longitude} {Geographic.Latitude}";
    }
}
