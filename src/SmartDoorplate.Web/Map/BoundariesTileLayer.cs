using SmartDoorplate.Data;

namespace SmartDoorplate.Map;

// Jurisdictions: a station officer sees their station and its grids, a district officer also
// the district; the district outline is not a station's. Its tiles change only with an import of
// outlines, so they are kept in memory (BoundaryTileCache).
public sealed class BoundariesTileLayer : VectorTileLayer
{
    private readonly string sql;

    public BoundariesTileLayer() : base("boundaries", minZoom: 0, sourceMaxZoom: 16)
    {
        sql = Wrap($"""
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
    }

    public override string SqlFor(TileAddress tile) => sql;

    public override async Task<RenderedTile?> RenderAsync(TileRequest request, CancellationToken cancellationToken) =>
        await request.Services.GetRequiredService<BoundaryTileCache>().GetOrRenderAsync(request.DataSource, request.Tile, request.Scope, cancellationToken);
}
