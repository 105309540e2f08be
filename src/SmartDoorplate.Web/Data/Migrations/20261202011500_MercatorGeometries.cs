using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // The map's geometries also in Web Mercator (EPSG:3857), stored: generated columns beside the WGS84
    // ones, which stay the truth (GiST indexes, ST_DWithin, GeoJSON). ST_AsMVTGeom works in 3857, and
    // transforming on every tile was most of a dense tile's time: at city scale a z14 buildings tile took
    // 43 ms, of which ST_Transform of its 2,400 footprints was 24 ms. Unmapped by EF Core, like the
    // cell keys (migration MercatorCellKeys).
    public partial class MercatorGeometries : Migration
    {
        private static readonly (string Table, string Column, string Type)[] Columns =
        [
            ("districts", "boundary", "MultiPolygon"),
            ("police_stations", "boundary", "MultiPolygon"),
            ("community_grids", "boundary", "MultiPolygon"),
            ("buildings", "footprint", "Polygon"),
            ("buildings", "entrance", "Point"),
            ("cases", "location", "Point"),
        ];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, column, type) in Columns)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} ADD COLUMN {column}_mercator geometry({type}, 3857) GENERATED ALWAYS AS (ST_Transform({column}, 3857)) STORED;");
            }
            // Adding the columns rewrote the tables and cleared their visibility maps (index-only scans of
            // the cell-key indexes); VACUUM cannot run in the migration's transaction.
            migrationBuilder.Sql("VACUUM (ANALYZE) districts, police_stations, community_grids, buildings, cases;", suppressTransaction: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, column, _) in Columns)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} DROP COLUMN {column}_mercator;");
            }
        }
    }
}
