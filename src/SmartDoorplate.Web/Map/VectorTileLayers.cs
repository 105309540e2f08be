using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

// The allow-list of tile layers. A layer name from the URL only selects an entry here; the SQL text,
// including the layer name ST_AsMVT writes into the tile, comes from this file alone. Below a
// layer's MinZoom a tile is empty (204): at city scale one low-zoom tile of footprints or cases
// would be the whole city in one response, too small to see anyway.
public sealed record VectorTileLayer(string Name, int MinZoom, int SourceMaxZoom, bool Available)
{
    public string SqlFor(TileAddress tile) => VectorTileLayers.Sql(this, tile);
}

public static class VectorTileLayers
{
    public const int Extent = 4096;
    public const int Buffer = 64;

    // Population is drawn as density cells below this zoom and as building points from it on.
    public const int PopulationPointsFromZoom = 15;

    // Density cells per tile side: cells stay aligned across tiles of one zoom.
    public const int PopulationCellsPerTile = 16;

    public static readonly VectorTileLayer Boundaries = new("boundaries", MinZoom: 0, SourceMaxZoom: 16, Available: true);
    public static readonly VectorTileLayer Buildings = new("buildings", MinZoom: 12, SourceMaxZoom: 16, Available: true);
    public static readonly VectorTileLayer Population = new("population", MinZoom: 0, SourceMaxZoom: 16, Available: true);
    public static readonly VectorTileLayer Cases = new("cases", MinZoom: 10, SourceMaxZoom: 16, Available: true);
    // Gi* cells come with the hot-spot issue; until then every hotspot tile is empty (204).
    public static readonly VectorTileLayer Hotspots = new("hotspots", MinZoom: 0, SourceMaxZoom: 16, Available: false);

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
    private const string HalfWidth = "20037508.342789244";

    private static string MvtGeom(string geometry) => $"ST_AsMVTGeom({geometry}, tile.env, {Extent}, {Buffer}, true)";

    private static string Wrap(VectorTileLayer layer, string features) => $"""
        {TileCte}
        select ST_AsMVT(features, '{layer.Name}', {Extent}, 'geom')
        from ({features}) features
        where features.geom is not null
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
        """);

    private static readonly string BuildingsSql = Wrap(Buildings, $"""
        select b.id, b.code, a.full_text as address, counts.residents, counts.floating, counts.pending,
               {MvtGeom("ST_Transform(b.footprint, 3857)")} as geom
        from tile join buildings b on b.footprint && tile.bounds_with_margin
        join standard_addresses a on a.id = b.address_id
        {CurrentResidents.CountsLateralSql}
        where {ScopeSql.GridInScope("b.grid_id")}
        """);

    // Square cells of @cell metres in Web Mercator, numbered from the Mercator origin like
    // ST_SquareGrid's, so a cell never straddles two tiles. Entrances are taken from the tile
    // itself (no margin): a cell in the buffer would otherwise be drawn with a partial count.
    private static readonly string PopulationCellsSql = Wrap(Population, $"""
        select 'cell' as kind, cells.residents, cells.floating, cells.buildings,
               {MvtGeom($"ST_MakeEnvelope(cells.i * @cell - {HalfWidth}, cells.j * @cell - {HalfWidth}, (cells.i + 1) * @cell - {HalfWidth}, (cells.j + 1) * @cell - {HalfWidth}, 3857)")} as geom
        from tile, (
            select floor((ST_X(m.p) + {HalfWidth}) / @cell) as i,
                   floor((ST_Y(m.p) + {HalfWidth}) / @cell) as j,
                   sum(counts.residents)::bigint as residents, sum(counts.floating)::bigint as floating, count(*) as buildings
            from tile join buildings b on b.entrance && tile.bounds
            cross join lateral (select ST_Transform(b.entrance, 3857) as p) m
            {CurrentResidents.CountsLateralSql}
            where {ScopeSql.GridInScope("b.grid_id")}
            group by 1, 2
            having sum(counts.residents) > 0) cells
        """);

    private static readonly string PopulationPointsSql = Wrap(Population, $"""
        select 'building' as kind, b.id, counts.residents, counts.floating, 1::bigint as buildings,
               {MvtGeom("ST_Transform(b.entrance, 3857)")} as geom
        from tile join buildings b on b.entrance && tile.bounds_with_margin
        {CurrentResidents.CountsLateralSql}
        where {ScopeSql.GridInScope("b.grid_id")} and counts.residents > 0
        """);

    // Times are written in Guiyang's offset, as officers read them.
    private static readonly string CasesSql = Wrap(Cases, $"""
        select c.id, c.case_number as "caseNumber", c.type, c.status,
               to_char(c.occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as "occurredAt",
               {MvtGeom("ST_Transform(c.location, 3857)")} as geom
        from tile join cases c on c.location && tile.bounds_with_margin
        where c.occurred_at >= @from and c.occurred_at < @to
          and (cardinality(@types) = 0 or c.type = any(@types))
          and {ScopeSql.GridInScope("c.grid_id")}
        """);

    public static string Sql(VectorTileLayer layer, TileAddress tile) => layer.Name switch
    {
        "boundaries" => BoundariesSql,
        "buildings" => BuildingsSql,
        "population" => tile.Z < PopulationPointsFromZoom ? PopulationCellsSql : PopulationPointsSql,
        "cases" => CasesSql,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Name, "no SQL for this layer"),
    };

    public static double PopulationCellMetres(TileAddress tile) => tile.WidthMetres / PopulationCellsPerTile;
}
