using SmartDoorplate.Localization;
using SmartDoorplate.Policing.Cases;

namespace SmartDoorplate.Loading.Seed;

internal readonly record struct SyntheticCase(
    string Number, CaseType Type, DateTimeOffset OccurredAt, double Longitude, double Latitude, CaseStatus Status, int Grid, DateTimeOffset CreatedAt);

// Incidents over the last five years, clustered the way hot-spot analysis expects to find them:
// around homes (burglary, fraud by phone), in a few dozen hot spots near the busy centres (street
// theft, snatching, fights; some active for the whole period, some only for a season or two), and a
// thin scatter everywhere. Case i is a function of (seed, i), like everything else in the seed.
internal sealed class CitySeedCases
{
    private const int HotspotCount = 40;
    private const double NearHomeShare = 0.55;
    private const double HotspotShare = 0.35;

    private static readonly WeightedChoice NearHomeTypes = TypeWeights((CaseType.Burglary, 35), (CaseType.Theft, 25), (CaseType.Fraud, 30), (CaseType.Assault, 10));
    private static readonly WeightedChoice HotspotTypes = TypeWeights((CaseType.Theft, 40), (CaseType.Snatching, 20), (CaseType.Robbery, 10), (CaseType.Fraud, 10), (CaseType.Assault, 20));
    private static readonly WeightedChoice ScatteredTypes = TypeWeights((CaseType.Theft, 35), (CaseType.Burglary, 15), (CaseType.Fraud, 25), (CaseType.Assault, 12), (CaseType.Robbery, 5), (CaseType.Snatching, 8));

    // Relative frequency by hour of day (Beijing time), per type.
    private static readonly Dictionary<CaseType, WeightedChoice> HourOfDay = new()
    {
        [CaseType.Burglary] = Hours([5, 5, 5, 4, 3, 2, 1, 1, 1, 2, 3, 3, 3, 3, 3, 2, 2, 1, 1, 1, 2, 2, 3, 4]),
        [CaseType.Theft] = Hours([1, 1, 0.5, 0.5, 0.5, 0.5, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 4, 3, 2]),
        [CaseType.Robbery] = Hours([4, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 4, 4]),
        [CaseType.Snatching] = Hours([1, 1, 0.5, 0.5, 0.5, 0.5, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 6, 5, 4, 2, 1]),
        [CaseType.Fraud] = Hours([0.5, 0.5, 0.2, 0.2, 0.2, 0.2, 0.5, 1, 3, 4, 4, 4, 3, 3, 4, 4, 4, 3, 3, 3, 3, 2, 1, 1]),
        [CaseType.Assault] = Hours([5, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6]),
    };

    private readonly int seed;
    private readonly CityLayout layout;
    private readonly DateTimeOffset now;
    private readonly DateOnly today;
    private readonly Hotspot[] hotspots;
    private readonly WeightedChoice hotspotChoice;

    private readonly record struct Hotspot(double Longitude, double Latitude, double SigmaMetres, int FirstDayAgo, int LastDayAgo);

    public CitySeedCases(int seed, CityLayout layout, DateTimeOffset now)
    {
        this.seed = seed;
        this.layout = layout;
        this.now = now;
        today = DateOnly.FromDateTime(now.ToOffset(ChinaTime.Offset).DateTime);
        hotspots = new Hotspot[HotspotCount];
        var weights = new double[HotspotCount];
        for (var h = 0; h < HotspotCount; h++)
        {
            var random = new SeedRandom(seed, SeedStream.Hotspot, h);
            // The busiest of a few candidate buildings: hot spots belong to the centres.
            var centre = layout.Buildings[random.Next(layout.Buildings.Length)];
            for (var tries = 0; tries < 8; tries++)
            {
                var candidate = layout.Buildings[random.Next(layout.Buildings.Length)];
                if (candidate.Urbanity > centre.Urbanity) centre = candidate;
            }
            var (first, last) = random.Chance(0.7)
                ? (CitySeedPeople.HistoryDays - 1, 0)
                : StartAndEnd(random.Next(180, 720), ref random);
            hotspots[h] = new Hotspot(centre.Longitude, centre.Latitude, random.Uniform(80, 350), first, last);
            weights[h] = Math.Exp(random.Normal(0, 0.7));
        }
        hotspotChoice = new WeightedChoice(weights);
    }

    public SyntheticCase Generate(long index)
    {
        var random = new SeedRandom(seed, SeedStream.Case, index);
        var mode = random.NextDouble();
        CaseType type;
        double longitude, latitude;
        int dayAgo;
        if (mode < NearHomeShare)
        {
            type = (CaseType)NearHomeTypes.Next(ref random);
            (longitude, latitude) = NearBuilding(ref random, 30);
            dayAgo = random.Next(0, CitySeedPeople.HistoryDays);
        }
        else if (mode < NearHomeShare + HotspotShare)
        {
            type = (CaseType)HotspotTypes.Next(ref random);
            var spot = hotspots[hotspotChoice.Next(ref random)];
            (longitude, latitude) = Scatter(ref random, spot.Longitude, spot.Latitude, spot.SigmaMetres);
            dayAgo = random.Next(spot.LastDayAgo, spot.FirstDayAgo + 1);
        }
        else
        {
            type = (CaseType)ScatteredTypes.Next(ref random);
            (longitude, latitude) = (random.Uniform(CityLayout.MinLongitude, CityLayout.MaxLongitude), random.Uniform(CityLayout.MinLatitude, CityLayout.MaxLatitude));
            dayAgo = random.Next(0, CitySeedPeople.HistoryDays);
        }
        // Points that fell outside the city or onto ground kept for other data go home instead.
        if (!CityLayout.IsInside(longitude, latitude) || layout.IsReserved(longitude, latitude))
            (longitude, latitude) = NearBuilding(ref random, 0);

        var localDay = new DateTimeOffset(today.AddDays(-dayAgo).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        var occurredLocal = localDay + TimeSpan.FromHours(HourOfDay[type].Next(ref random) + random.NextDouble());
        var occurredAt = occurredLocal.ToUniversalTime();
        if (occurredAt > now) occurredAt = now - TimeSpan.FromMinutes(random.Uniform(5, 600));
        var createdAt = occurredAt + TimeSpan.FromMinutes(random.Uniform(10, 36 * 60));
        if (createdAt > now) createdAt = now;

        var s = random.NextDouble();
        var status = dayAgo > 365
            ? s < 0.55 ? CaseStatus.Solved : s < 0.95 ? CaseStatus.Closed : CaseStatus.Open
            : s < 0.45 ? CaseStatus.Open : s < 0.85 ? CaseStatus.Solved : CaseStatus.Closed;
        var number = $"CITY-{occurredAt.ToOffset(ChinaTime.Offset).Year}-{index + 1:D7}";
        return new SyntheticCase(number, type, occurredAt, longitude, latitude, status, layout.GridAt(longitude, latitude), createdAt);
    }

    private (double, double) NearBuilding(ref SeedRandom random, double sigmaMetres)
    {
        for (var tries = 0; ; tries++)
        {
            var entrance = CityLayout.Entrance(layout.Buildings[random.Next(layout.Buildings.Length)]);
            var (longitude, latitude) = Scatter(ref random, entrance.X, entrance.Y, tries < 10 ? sigmaMetres : 0);
            if (CityLayout.IsInside(longitude, latitude) && !layout.IsReserved(longitude, latitude)) return (longitude, latitude);
        }
    }

    private static (double, double) Scatter(ref SeedRandom random, double longitude, double latitude, double sigmaMetres) =>
        (longitude + random.Normal(0, sigmaMetres) / LocalMetres.PerDegreeLongitude(latitude),
         latitude + random.Normal(0, sigmaMetres) / LocalMetres.PerDegreeLatitude(latitude));

    private static (int, int) StartAndEnd(int lengthDays, ref SeedRandom random)
    {
        var first = random.Next(lengthDays, CitySeedPeople.HistoryDays);
        return (first, first - lengthDays);
    }

    private static WeightedChoice TypeWeights(params (CaseType Type, double Weight)[] weights)
    {
        var byType = new double[Enum.GetValues<CaseType>().Length];
        foreach (var (type, weight) in weights) byType[(int)type] = weight;
        return new WeightedChoice(byType);
    }

    private static WeightedChoice Hours(double[] weights) =>
        weights.Length == 24 ? new WeightedChoice(weights) : throw new ArgumentException("24 hourly weights are required.", nameof(weights));
}
