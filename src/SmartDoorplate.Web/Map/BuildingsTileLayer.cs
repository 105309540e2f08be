using SmartDoorplate.Policing.Patrol;
using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

// Footprints with their current residents and last patrol visit. From z14 only: one z12 tile of
// central Yunyan holds 33,000 footprints at city scale (0.8 s in PostgreSQL alone, sub-pixel anyway).
public sealed class BuildingsTileLayer : VectorTileLayer
{
    // Buildings carry their address from this zoom on.
    public const int AddressesFromZoom = 16;

    private readonly string withAddressSql;
    private readonly string withoutAddressSql;

    public BuildingsTileLayer() : base("buildings", minZoom: 14, sourceMaxZoom: 16)
    {
        withAddressSql = SqlOf(withAddress: true);
        withoutAddressSql = SqlOf(withAddress: false);
    }

    public override string SqlFor(TileAddress tile) => tile.Z < AddressesFromZoom ? withoutAddressSql : withAddressSql;

    // The address by its key for each footprint: as a join, the planner hashed the whole address
    // table (a parallel scan of 200,000 rows at city scale) for a tile of a few thousand buildings.
    // Only from AddressesFromZoom: the map draws no addresses (a click opens the building's panel,
    // which has it), and in a dense z14 tile the thousands of unique address strings were half the
    // bytes (315 KB of a city tile, 166 KB without) and a fifth of the time (46 ms against 36 in psql).
    // lastVisitDays: whole days since the last patrol check-in (absent: never); unvisited: none for
    // PatrolRules.UnvisitedAfterDays (the map's 30天未巡查 layer).
    private string SqlOf(bool withAddress) => Wrap($"""
        select b.id, b.code,{(withAddress ? " (select a.full_text from standard_addresses a where a.id = b.address_id) as address," : "")}
               counts.residents, counts.floating, counts.pending,
               floor(extract(epoch from now() - last_visit.visited_at) / 86400)::int as "lastVisitDays",
               (last_visit.visited_at is null or last_visit.visited_at < now() - interval '{PatrolRules.UnvisitedAfterDays} days') as unvisited,
               {MvtGeom("ST_Transform(b.footprint, 3857)")} as geom
        from tile join buildings b on b.footprint && tile.bounds_with_margin
        {CurrentResidents.CountsJoinSql}
        {PatrolRules.LastVisitLateralSql}
        where {ScopeSql.GridInScope("b.grid_id")}
        """, "features.id");
}
