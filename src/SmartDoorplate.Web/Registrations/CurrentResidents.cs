using System.Linq.Expressions;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Registrations;

// Who counts as living in a building now, for the map, the building panel and the area query:
// a registration the landlord confirmed or police verified, with no move-out. "Floating" (流动人口)
// are those among them whose ID number was issued outside Guiyang (region code not 5201xx).
// One definition in LINQ and its SQL twin for the tile and GeoJSON queries; tests compare them.
public static class CurrentResidents
{
    public static readonly Expression<Func<ResidenceRegistration, bool>> IsCurrent = r =>
        (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Verified) && r.MoveOutDate == null;

    public static bool IsFloating(string originRegionCode) => !originRegionCode.StartsWith(BuildingsApi.LocalRegionPrefix, StringComparison.Ordinal);

    // A lateral join giving residents, floating and pending (submitted, awaiting the landlord)
    // for the building aliased b; the (building_id, status) index serves it.
    public const string CountsLateralSql = $"""
        left join lateral (
            select count(*) filter (where {CurrentSql}) as residents,
                   count(*) filter (where {CurrentSql} and p.origin_region_code not like '{BuildingsApi.LocalRegionPrefix}%') as floating,
                   count(*) filter (where r.status = 'submitted') as pending
            from residence_registrations r join persons p on p.id = r.person_id
            where r.building_id = b.id) counts on true
        """;

    private const string CurrentSql = "r.status in ('confirmed', 'verified') and r.move_out_date is null";
}
