using SmartDoorplate.Analytics.Geodesy;

namespace SmartDoorplate.Analytics.Tests.Geodesy;

public class GreatCircleTests
{
    [Fact]
    public void OneDegreeOfLatitudeIsAnArcOfOneDegreeOnTheMeanSphere()
    {
        var expected = GreatCircle.MeanEarthRadiusMetres * Math.PI / 180; // 111 195.08 m

        var distance = GreatCircle.DistanceMetres(new GeoPoint(106.7, 26.0), new GeoPoint(106.7, 27.0));

        Assert.Equal(expected, distance, 1e-6);
    }

    [Fact]
    public void QuarterOfTheEquatorIsAQuarterCircumference()
    {
        var distance = GreatCircle.DistanceMetres(new GeoPoint(0, 0), new GeoPoint(90, 0));

        Assert.Equal(Math.PI / 2 * GreatCircle.MeanEarthRadiusMetres, distance, 1e-6);
    }

    [Fact]
    public void AntipodesAreHalfACircumferenceApart()
    {
        var distance = GreatCircle.DistanceMetres(new GeoPoint(106.7, 26.6), new GeoPoint(-73.3, -26.6));

        Assert.Equal(Math.PI * GreatCircle.MeanEarthRadiusMetres, distance, 1e-6);
    }

    [Fact]
    public void OneMetreApartIsMeasuredToTheMillimetre()
    {
        // 1 m of latitude is 1 / 111 195.08 degrees; this is where the law of cosines would fail.
        var oneMetreInDegrees = 180 / (Math.PI * GreatCircle.MeanEarthRadiusMetres);

        var distance = GreatCircle.DistanceMetres(new GeoPoint(106.7, 26.6), new GeoPoint(106.7, 26.6 + oneMetreInDegrees));

        Assert.Equal(1.0, distance, 1e-6);
    }

    [Fact]
    public void DistanceIsSymmetricToANanometre()
    {
        var guiyangStation = new GeoPoint(106.6717, 26.5632);
        var guiyangNorthStation = new GeoPoint(106.6818, 26.6270);

        Assert.Equal(
            GreatCircle.DistanceMetres(guiyangStation, guiyangNorthStation),
            GreatCircle.DistanceMetres(guiyangNorthStation, guiyangStation),
            1e-9);
    }
}
