using System.Linq.Expressions;

namespace SmartDoorplate.Registrations;

// Who counts as living in a building now, for the map, the building panel and the area query:
// a registration the landlord confirmed or police verified, with no move-out. "Floating" (流动人口)
// are those among them whose ID number was issued outside Guiyang (region code not 5201xx).
// One definition in LINQ and its SQL twin in the triggers that keep building_counts (migration
// BuildingCounts), which the tile and GeoJSON queries read; tests compare the two.
public static class CurrentResidents
{
    public static readonly Expression<Func<ResidenceRegistration, bool>> IsCurrent = r =>
        (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified) && r.MoveOutDate == null;

    // The SQL twin of IsCurrent for the registration aliased `alias` (hand-written queries; the
    // migration's triggers spell it out themselves, as a migration must not change later).
    public static string IsCurrentSql(string alias) => $"{alias}.status in ('confirmed', 'verified') and {alias}.move_out_date is null";

    // Region codes of Guiyang (5201xx): a resident whose ID was issued elsewhere is "floating" here.
    public const string LocalRegionPrefix = "5201";

    public static bool IsFloating(string originRegionCode) => !originRegionCode.StartsWith(LocalRegionPrefix, StringComparison.Ordinal);

    // IsFloating of a registration's person as a predicate EF translates, for counts and filters in queries.
    public static readonly Expression<Func<ResidenceRegistration, bool>> IsFloatingResident = r =>
        !r.Person!.OriginRegionCode.StartsWith(LocalRegionPrefix);

    // Residents, floating and pending (submitted, awaiting the landlord) of the building aliased b,
    // as columns of counts: read from building_counts, which triggers keep equal to the definitions
    // above (BuildingCount.cs). A building without a row never had a counted registration: 0, as
    // bigint like the count(*) this replaced, so that tiles keep their bytes.
    public const string CountsJoinSql = """
        left join building_counts building_count on building_count.building_id = b.id
        cross join lateral (
            select coalesce(building_count.residents, 0)::bigint as residents,
                   coalesce(building_count.floating, 0)::bigint as floating,
                   coalesce(building_count.pending, 0)::bigint as pending) counts
        """;
}
