using Microsoft.EntityFrameworkCore.Migrations;
using SmartDoorplate.Map;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // Boundaries tiles are kept in memory by the app (Map/BoundaryTileCache) until the outlines change,
    // and they change in other processes too (`sdp import`, psql): so every statement that writes
    // districts, police_stations or community_grids notifies BoundaryTileCache.ChangeChannel. A
    // notice is delivered when its transaction commits (never for a rolled-back one), once per
    // transaction and table however many rows it wrote.
    public partial class BoundaryChangeNotices : Migration
    {
        private static readonly string[] Tables = ["districts", "police_stations", "community_grids"];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE FUNCTION notify_boundaries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('{BoundaryTileCache.ChangeChannel}', TG_TABLE_NAME);
                    RETURN NULL;
                END
                $$;
                """);
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {table}_notify_boundaries_changed
                    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_boundaries_changed();
                    """);
            }
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables) migrationBuilder.Sql($"DROP TRIGGER {table}_notify_boundaries_changed ON {table};");
            migrationBuilder.Sql("DROP FUNCTION notify_boundaries_changed();");
        }
    }
}
