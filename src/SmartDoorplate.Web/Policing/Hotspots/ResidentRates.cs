namespace SmartDoorplate.Policing.Hotspots;

// Cases per 1,000 registered residents, and the one minimum below which no such rate is shown:
// the hot-spot cells, the report's hot buildings and whatever else divides by residents. Over a
// handful of people a rate is noise ("3500" on 2 residents) and could point at a household.
public static class ResidentRates
{
    public const int MinimumResidents = 20;

    // Null (not shown) where the residents do not reach the minimum.
    public static double? Per1000(double cases, double residents, int minimumResidents = MinimumResidents) =>
        residents >= Math.Max(MinimumResidents, minimumResidents) ? cases * 1000.0 / residents : null;
}
