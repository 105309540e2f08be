using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // building_counts carries its building's entrance cell and grid, so that a population cell tile
    // (Map/VectorTileLayers, zoom 12–14) sums the counts of its key range from a covering index
    // instead of joining every building of the tile to its counts. The planner hashed the tile's
    // buildings and read all of building_counts for each tile: a z12 tile of central Yunyan at city
    // scale took 27–42 ms in PostgreSQL alone (up to 98 ms in a slow moment), against 9–13 ms now,
    // with the same bytes.
    //
    // The copies are kept by PostgreSQL, like the counts: the trigger functions write them with a new
    // row, and a row trigger on buildings follows a building whose entrance or grid changes. Like the
    // other key columns, they are the database's own: EF Core does not map them.
    //
    // The index covers residents and floating too, so the tile reads no heap. That makes every change
    // of a building's counts a non-HOT update (one more index entry per registration), which
    // registrations.sh measures.
    public partial class BuildingCountCells : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                -- No registration may change between the copy below and the new functions taking over.
                LOCK TABLE residence_registrations, persons, buildings IN SHARE MODE;

                ALTER TABLE building_counts ADD COLUMN entrance_cell bigint, ADD COLUMN grid_id bigint;
                UPDATE building_counts c SET entrance_cell = b.entrance_cell, grid_id = b.grid_id
                FROM buildings b WHERE b.id = c.building_id;
                ALTER TABLE building_counts ALTER COLUMN entrance_cell SET NOT NULL, ALTER COLUMN grid_id SET NOT NULL;

                {BuildingCounts.RegistrationsFunctionSql(withCells: true)}

                {BuildingCounts.PersonOriginFunctionSql(withCells: true)}

                -- A building moved by a GIS import, or put in another grid: its counts row follows. By
                -- its key, one row at a time, so that no cached plan can turn it into a scan.
                CREATE FUNCTION building_counts_follow_building() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                BEGIN
                    UPDATE building_counts SET entrance_cell = NEW.entrance_cell, grid_id = NEW.grid_id
                    WHERE building_id = NEW.id;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER building_counts_after_building_change AFTER UPDATE OF entrance, grid_id ON buildings
                    FOR EACH ROW WHEN (OLD.entrance_cell IS DISTINCT FROM NEW.entrance_cell OR OLD.grid_id IS DISTINCT FROM NEW.grid_id)
                    EXECUTE FUNCTION building_counts_follow_building();

                CREATE INDEX ix_building_counts_entrance_cell ON building_counts (entrance_cell) INCLUDE (grid_id, residents, floating);
                """);
            // The update above rewrote every row, which clears the visibility map: until a vacuum, the
            // index-only scans read the heap after all. VACUUM cannot run in the migration's transaction.
            migrationBuilder.Sql("VACUUM (ANALYZE) building_counts;", suppressTransaction: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DROP TRIGGER building_counts_after_building_change ON buildings;
                DROP FUNCTION building_counts_follow_building();
                {BuildingCounts.RegistrationsFunctionSql(withCells: false)}
                {BuildingCounts.PersonOriginFunctionSql(withCells: false)}
                DROP INDEX ix_building_counts_entrance_cell;
                ALTER TABLE building_counts DROP COLUMN entrance_cell, DROP COLUMN grid_id;
                """);
        }
    }
}
