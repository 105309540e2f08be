using SmartDoorplate.Analytics.Geodesy;
using SmartDoorplate.Data;
using SmartDoorplate.Policing;
using SmartDoorplate.Policing.Patrol;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

// The allow-list of tile layers. A layer name from the URL only selects an entry here; the SQL text,
// including the layer name ST_AsMVT writes into the tile, comes from this file alone. Below a
// layer's MinZoom a tile is empty (204). The zooms come from `seed --scale city` (scripts/bench/tiles.sh):
// one z12 tile of central Yunyan holds 33,000 footprints (0.8 s in PostgreSQL alone, sub-pixel anyway),
// and five years of cases make a z13 tile of 2 MB and a z15 tile of up to 2.4 MB; so footprints
// start at z14, population is counted in cells below z15 and cases below z16.
public sealed record VectorTileLayer(string Name, int MinZoom, int SourceMaxZoom, bool Available)
{
    public string SqlFor(TileAddress tile) => VectorTileLayers.Sql(this, tile);
}

public static class VectorTileLayers
{
    public const int Extent = 4096;
    public const int Buffer = 64;

    // Population and cases are drawn as cells below these zooms and as points from them on. Cases from
    // z16: five years of city cases put 4,000–60,000 points (0.1–2.4 MB) in a z15 tile, far more than a
    // phone can draw or an officer read; a cell of 76 m says the same.
    public const int PopulationPointsFromZoom = 15;
    public const int CasePointsFromZoom = 16;

    // Buildings carry their address from this zoom on (BuildingsSqlOf).
    public const int BuildingAddressesFromZoom = 16;

    // Cells per tile side, 2^CellLevelsBelowTile: a tile's cells are the tiles 4 zooms further in.
    public const int CellLevelsBelowTile = 4;
    public const int CellsPerTile = 1 << CellLevelsBelowTile;

    public static readonly VectorTileLayer Boundaries = new("boundaries", MinZoom: 0, SourceMaxZoom: 16, Available: true);
    public static readonly VectorTileLayer Buildings = new("buildings", MinZoom: 14, SourceMaxZoom: 16, Available: true);
    public static readonly VectorTileLayer Population = new("population", MinZoom: 12, SourceMaxZoom: 16, Available: true);
    public static readonly VectorTileLayer Cases = new("cases", MinZoom: 12, SourceMaxZoom: 16, Available: true);
    // Gi* cells of one stored run (Policing/HotspotRuns): the statistic needs the whole study area,
    // so /api/hotspots computes it once and tiles only cut the stored cells.
    public static readonly VectorTileLayer Hotspots = new("hotspots", MinZoom: 10, SourceMaxZoom: 16, Available: true);

    public static readonly IReadOnlyDictionary<string, VectorTileLayer> ByName =
        new[] { Boundaries, Buildings, Population, Cases, Hotspots }.ToDictionary(l => l.Name, StringComparer.Ordinal);

    // Every layer reads the same tile row: the envelope in 3857 for ST_AsMVTGeom, and in 4326 for
    // the && filters that the GiST indexes on the 4326 columns serve (a Mercator tile is a lon/lat
    // rectangle, so the transformed envelope is exact). The margin version catches footprints and
    // points in the tile's buffer, so edges and circles are not cut at tile borders.
    private static readonly string TileCte = $"""
        with tile as (
            select ST_TileEnvelope(@z, @x, @y) as env,
                   ST_Transform(ST_TileEnvelope(@z, @x, @y), 4326) as bounds,
                   ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => {Buffer}.0 / {Extent}), 4326) as bounds_with_margin
        )
        """;

    // Invariant text of the constant: interpolating the double would follow the current culture.
    private static readonly string HalfWidth = MercatorCells.HalfWidthMetres.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static string MvtGeom(string geometry) => $"ST_AsMVTGeom({geometry}, tile.env, {Extent}, {Buffer}, true)";

    // Features go into the tile in a fixed order: a parallel scan returns rows in any order, which
    // would give the same tile different bytes (and ETags) from one request to the next.
    // `offset 0` keeps the geom test out of the features query: pushed down, it clipped every
    // geometry twice (once to test it, once to keep it), a third of a dense buildings tile's time.
    private static string Wrap(VectorTileLayer layer, string features, string orderBy) => $"""
        {TileCte}
        select ST_AsMVT(features, '{layer.Name}', {Extent}, 'geom' order by {orderBy})
        from ({features}
              offset 0) features
        where features.geom is not null
        """;

    // Square cells of @cell metres in Web Mercator: the Mercator tiles of zoom z + 4, 16 × 16 to a tile,
    // so a cell never straddles two tiles. A cell is read by its key (Analytics/Geodesy/MercatorCells):
    // the stored MercatorCells.KeyLevel (zoom-20) keys of the tile's points lie in [@cell_from, @cell_to), and a point's cell is
    // its key >> @cell_shift. Points are taken from the tile itself (no margin): a cell in the buffer
    // would otherwise be drawn with a partial count. x counts east from the left edge, y south from
    // the top, as tiles do.
    private static string CellPolygon => $"ST_MakeEnvelope(cells.x * @cell - {HalfWidth}, {HalfWidth} - (cells.y + 1) * @cell, (cells.x + 1) * @cell - {HalfWidth}, {HalfWidth} - cells.y * @cell, 3857)";

    private static string CellCentre => $"ST_SetSRID(ST_MakePoint((cells.x + 0.5) * @cell - {HalfWidth}, {HalfWidth} - (cells.y + 0.5) * @cell), 3857)";

    private static string CellsOf(string groupedByCell) => $"""
        (select mercator_cell_x(grouped.cell) as x, mercator_cell_y(grouped.cell) as y, grouped.*
         from ({groupedByCell}) grouped) cells
        """;

    // Jurisdictions: a station officer sees their station and its grids, a district officer also
    // the district; the district outline is not a station's.
    private static readonly string BoundariesSql = Wrap(Boundaries, $"""
        select 'district' as kind, d.code::text as code, d.name, {MvtGeom("ST_Transform(d.boundary, 3857)")} as geom
        from tile join districts d on d.boundary && tile.bounds_with_margin
        where {ScopeSql.Predicate(null, "d.id")}
        union all
        select 'station', s.code, s.name, {MvtGeom("ST_Transform(s.boundary, 3857)")}
        from tile join police_stations s on s.boundary && tile.bounds_with_margin
        where {ScopeSql.Predicate("s.id", "s.district_id")}
        union all
        select 'grid', g.code, g.name, {MvtGeom("ST_Transform(g.boundary, 3857)")}
        from tile join community_grids g on g.boundary && tile.bounds_with_margin
        join police_stations gs on gs.id = g.station_id
        where {ScopeSql.Predicate("g.station_id", "gs.district_id")}
        """, "features.kind, features.code");

    // The address by its key for each footprint: as a join, the planner hashed the whole address
    // table (a parallel scan of 200,000 rows at city scale) for a tile of a few thousand buildings.
    // Only from BuildingAddressesFromZoom: the map draws no addresses (a click opens the building's panel,
    // which has it), and in a dense z14 tile the thousands of unique address strings were half the
    // bytes (315 KB of a city tile, 166 KB without) and a fifth of the time (46 ms against 36 in psql).
    // lastVisitDays: whole days since the last patrol check-in (absent: never); unvisited: none for
    // PatrolRules.UnvisitedAfterDays (the map's 30天未巡查 layer).
    private static string BuildingsSqlOf(bool withAddress) => Wrap(Buildings, $"""
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

    private static readonly string BuildingsSql = BuildingsSqlOf(withAddress: true);
    private static readonly string BuildingsWithoutAddressSql = BuildingsSqlOf(withAddress: false);

    // Per cell, the buildings by their entrance (covering index on buildings.entrance_cell) and the
    // counts by the same cell copied onto building_counts (its covering index, migration
    // BuildingCountCells), summed side by side: joining the tile's buildings to their counts made
    // the planner read all of building_counts for every tile.
    private static readonly string PopulationCellsSql = Wrap(Population, $"""
        select 'cell' as kind, cells.residents, cells.floating, cells.buildings, {MvtGeom(CellPolygon)} as geom
        from tile, {CellsOf($"""
            select parts.cell, sum(parts.residents)::bigint as residents, sum(parts.floating)::bigint as floating,
                   sum(parts.buildings)::bigint as buildings
            from (select b.entrance_cell >> @cell_shift as cell, 0 as residents, 0 as floating, 1 as buildings
                  from buildings b
                  where b.entrance_cell >= @cell_from and b.entrance_cell < @cell_to
                    and {ScopeSql.GridInScope("b.grid_id")}
                  union all
                  select c.entrance_cell >> @cell_shift, c.residents, c.floating, 0
                  from building_counts c
                  where c.entrance_cell >= @cell_from and c.entrance_cell < @cell_to
                    and {ScopeSql.GridInScope("c.grid_id")}) parts
            group by 1
            having sum(parts.residents) > 0
            """)}
        """, "features.geom");

    private static readonly string PopulationPointsSql = Wrap(Population, $"""
        select 'building' as kind, b.id, counts.residents, counts.floating, 1::bigint as buildings,
               {MvtGeom("ST_Transform(b.entrance, 3857)")} as geom
        from tile join buildings b on b.entrance && tile.bounds_with_margin
        {CurrentResidents.CountsJoinSql}
        where {ScopeSql.GridInScope("b.grid_id")} and counts.residents > 0
        """, "features.id");

    private const string CaseFilterSql = """
        c.occurred_at >= @from and c.occurred_at < @to
          and (cardinality(@types) = 0 or c.type = any(@types))
        """;

    // Times are written in Guiyang's offset, as officers read them.
    private static readonly string CasePointsSql = Wrap(Cases, $"""
        select 'case' as kind, c.id, c.case_number as "caseNumber", c.type, c.status,
               to_char(c.occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as "occurredAt",
               {MvtGeom("ST_Transform(c.location, 3857)")} as geom
        from tile join cases c on c.location && tile.bounds_with_margin
        where {CaseFilterSql}
          and {ScopeSql.GridInScope("c.grid_id")}
        """, "features.id");

    // A point at each cell's centre with its count, drawn as a circle sized by it; the cases come from
    // the covering index on cases.location_cell.
    private static readonly string CaseCellsSql = Wrap(Cases, $"""
        select 'cell' as kind, cells.count, cells.open, {MvtGeom(CellCentre)} as geom
        from tile, {CellsOf($"""
            select c.location_cell >> @cell_shift as cell, count(*) as count, count(*) filter (where c.status = 'open') as open
            from cases c
            where c.location_cell >= @cell_from and c.location_cell < @cell_to
              and {CaseFilterSql}
              and {ScopeSql.GridInScope("c.grid_id")}
            group by 1
            """)}
        """, "features.geom");

    // The cells of run @run, if the caller may read the run (its station or district, Data/ScopeSql).
    // `count` is the difference after − before in a change run, which also carries both counts.
    private static readonly string HotspotsSql = Wrap(Hotspots, $"""
        select c.cell, c.class, c.bin, c.z, c.p, c.count, c.residents, c.rate, c.before, c.after,
               {MvtGeom("ST_Transform(c.geometry, 3857)")} as geom
        from tile join hotspot_cells c on c.geometry && tile.bounds_with_margin
        join hotspot_runs r on r.id = c.run_id
        where c.run_id = @run and {ScopeSql.Predicate("r.station_id", "r.district_id")}
        """, "features.cell");

    public static string Sql(VectorTileLayer layer, TileAddress tile) => layer.Name switch
    {
        "hotspots" => HotspotsSql,
        "boundaries" => BoundariesSql,
        "buildings" => tile.Z < BuildingAddressesFromZoom ? BuildingsWithoutAddressSql : BuildingsSql,
        "population" => tile.Z < PopulationPointsFromZoom ? PopulationCellsSql : PopulationPointsSql,
        "cases" => tile.Z < CasePointsFromZoom ? CaseCellsSql : CasePointsSql,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Name, "no SQL for this layer"),
    };

    public static double CellMetres(TileAddress tile) => MercatorCells.CellMetres(tile.Z + CellLevelsBelowTile);

    // Cells are the tiles CellLevelsBelowTile zooms further in, which must not pass the stored keys'
    // level (MercatorCells.KeyLevel): 15 + 4 ≤ 20.
    public static bool UsesCells(VectorTileLayer layer, TileAddress tile) =>
        (layer == Population && tile.Z < PopulationPointsFromZoom) || (layer == Cases && tile.Z < CasePointsFromZoom);
}
