using SmartDoorplate.Data;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

// Current residents: counted in cells below z15, at each building's entrance from it on.
public sealed class PopulationTileLayer : CellTileLayer
{
    public PopulationTileLayer() : base("population", minZoom: 12, sourceMaxZoom: 16, pointsFromZoom: 15)
    {
        // Per cell, the buildings by their entrance (covering index on buildings.entrance_cell) and the
        // counts by the same cell copied onto building_counts (its covering index), summed side by
        // side: joining the tile's buildings to their counts made the planner read all of
        // building_counts for every tile.
        CellsSql = Wrap($"""
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

        PointsSql = Wrap($"""
            select 'building' as kind, b.id, counts.residents, counts.floating, 1::bigint as buildings,
                   {MvtGeom("ST_Transform(b.entrance, 3857)")} as geom
            from tile join buildings b on b.entrance && tile.bounds_with_margin
            {CurrentResidents.CountsJoinSql}
            where {ScopeSql.GridInScope("b.grid_id")} and counts.residents > 0
            """, "features.id");
    }

    protected override string CellsSql { get; }
    protected override string PointsSql { get; }
}
