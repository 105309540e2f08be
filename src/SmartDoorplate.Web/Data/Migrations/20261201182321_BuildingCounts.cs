using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // building_counts (Registrations/BuildingCount.cs): per building, the counts of
    // Registrations/CurrentResidents — residents = confirmed or verified with no move-out date,
    // floating = those of them whose person's origin_region_code is not 5201xx, pending = submitted —
    // kept by triggers in the transaction that changes a registration, so the map never counts at
    // request time. Statement-level triggers with transition tables: a single-row insert is a
    // single-row upsert, a COPY of the seed or the pilot load is one set-based upsert per statement.
    //
    // The triggers add each statement's change (+1 for new rows, -1 for old ones) rather than recount:
    // ON CONFLICT DO UPDATE adds to the latest committed row, so two transactions registering in the
    // same building at once are both counted (a recount would see only its own). Buildings are
    // written in id order within a statement. Every part of the statements is safe for any row count
    // under the one cached plan plpgsql keeps: persons is read by a scalar subquery on its key (never
    // a join the planner could turn into a scan of all persons for one inserted row), and an update's
    // old and new rows are paired by EXCEPT ALL (hashed or sorted, never a nested loop), which also
    // leaves out rows whose counted columns did not change (key rotation, retention, employer).
    public partial class BuildingCounts : Migration
    {
        // CurrentResidents.IsCurrent, for a registration aliased r.
        private const string Current = "r.status IN ('confirmed', 'verified') AND r.move_out_date IS NULL";

        // The counted columns of a set of registration rows.
        private static string Counted(string rows) =>
            $"SELECT r.building_id, r.person_id, r.status, ({Current}) AS current FROM {rows} r WHERE r.status IN ('submitted', 'confirmed', 'verified')";

        // rows: building_id, person_id, status, current, sign. withCells: also the building's entrance cell
        // and grid, which only a new row keeps (migration BuildingCountCells), each by a scalar subquery on
        // the key; PostgreSQL evaluates them on every upsert, two primary-key reads of one building.
        private static string AddToCounts(string rows, bool withCells) => $"""
                INSERT INTO building_counts AS c (building_id, residents, floating, pending, updated_at{(withCells ? ", entrance_cell, grid_id" : "")})
                SELECT d.building_id, sum(d.sign * d.resident), sum(d.sign * d.floating), sum(d.sign * d.pending), now(){(withCells ? EntranceCellAndGridOf("d.building_id") : "")}
                FROM (
                    SELECT r.building_id, r.sign,
                           CASE WHEN r.current THEN 1 ELSE 0 END AS resident,
                           CASE WHEN NOT r.current THEN 0
                                WHEN (SELECT p.origin_region_code NOT LIKE '5201%' FROM persons p WHERE p.id = r.person_id) THEN 1 ELSE 0 END AS floating,
                           CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END AS pending
                    FROM ({rows}) r
                ) d
                GROUP BY d.building_id
                HAVING sum(d.sign * d.resident) <> 0 OR sum(d.sign * d.floating) <> 0 OR sum(d.sign * d.pending) <> 0
                ORDER BY d.building_id
                ON CONFLICT (building_id) DO UPDATE
                    SET residents = c.residents + excluded.residents, floating = c.floating + excluded.floating,
                        pending = c.pending + excluded.pending, updated_at = excluded.updated_at;
            """;

        private static string EntranceCellAndGridOf(string buildingId) =>
            $", (SELECT b.entrance_cell FROM buildings b WHERE b.id = {buildingId}), (SELECT b.grid_id FROM buildings b WHERE b.id = {buildingId})";

        // The two trigger functions, as created here (withCells: false) and as BuildingCountCells
        // replaces them.
        internal static string RegistrationsFunctionSql(bool withCells) => $"""
                CREATE OR REPLACE FUNCTION building_counts_from_registrations() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        {AddToCounts($"SELECT *, 1 AS sign FROM ({Counted("new_rows")}) n", withCells)}
                    ELSIF TG_OP = 'UPDATE' THEN
                        {AddToCounts($"""
                            SELECT *, 1 AS sign FROM ({Counted("new_rows")} EXCEPT ALL {Counted("old_rows")}) added
                            UNION ALL
                            SELECT *, -1 AS sign FROM ({Counted("old_rows")} EXCEPT ALL {Counted("new_rows")}) removed
                            """, withCells)}
                    ELSIF TG_OP = 'DELETE' THEN
                        {AddToCounts($"SELECT *, -1 AS sign FROM ({Counted("old_rows")}) o", withCells)}
                    ELSE
                        DELETE FROM building_counts;
                    END IF;
                    RETURN NULL;
                END
                $$;
                """;

        // origin_region_code is derived from the ID number and never changes in the app; a
        // correction by hand still moves the person's current registrations in or out of floating.
        internal static string PersonOriginFunctionSql(bool withCells) => $"""
                CREATE OR REPLACE FUNCTION building_counts_from_person_origin() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                BEGIN
                    INSERT INTO building_counts AS c (building_id, residents, floating, pending, updated_at{(withCells ? ", entrance_cell, grid_id" : "")})
                    SELECT r.building_id, 0, count(*) * CASE WHEN NEW.origin_region_code NOT LIKE '5201%' THEN 1 ELSE -1 END, 0, now(){(withCells ? EntranceCellAndGridOf("r.building_id") : "")}
                    FROM residence_registrations r
                    WHERE r.person_id = NEW.id AND {Current}
                    GROUP BY r.building_id
                    ORDER BY r.building_id
                    ON CONFLICT (building_id) DO UPDATE
                        SET floating = c.floating + excluded.floating, updated_at = excluded.updated_at;
                    RETURN NULL;
                END
                $$;
                """;

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "building_counts",
                columns: table => new
                {
                    building_id = table.Column<long>(type: "bigint", nullable: false),
                    residents = table.Column<int>(type: "integer", nullable: false),
                    floating = table.Column<int>(type: "integer", nullable: false),
                    pending = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_building_counts", x => x.building_id);
                    table.ForeignKey(
                        name: "fk_building_counts_buildings_building_id",
                        column: x => x.building_id,
                        principalTable: "buildings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql($"""
                -- Read-only for the app: only the trigger functions below (SECURITY DEFINER) write it.
                REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON building_counts FROM sd_app;

                {RegistrationsFunctionSql(withCells: false)}

                {PersonOriginFunctionSql(withCells: false)}

                -- No registration may change between the count below and the triggers taking over.
                LOCK TABLE residence_registrations, persons IN SHARE MODE;

                CREATE TRIGGER building_counts_after_insert AFTER INSERT ON residence_registrations
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION building_counts_from_registrations();
                CREATE TRIGGER building_counts_after_update AFTER UPDATE ON residence_registrations
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION building_counts_from_registrations();
                CREATE TRIGGER building_counts_after_delete AFTER DELETE ON residence_registrations
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION building_counts_from_registrations();
                CREATE TRIGGER building_counts_after_truncate AFTER TRUNCATE ON residence_registrations
                    FOR EACH STATEMENT EXECUTE FUNCTION building_counts_from_registrations();
                CREATE TRIGGER building_counts_after_origin_change AFTER UPDATE OF origin_region_code ON persons
                    FOR EACH ROW WHEN ((OLD.origin_region_code NOT LIKE '5201%') IS DISTINCT FROM (NEW.origin_region_code NOT LIKE '5201%'))
                    EXECUTE FUNCTION building_counts_from_person_origin();

                INSERT INTO building_counts (building_id, residents, floating, pending, updated_at)
                SELECT r.building_id,
                       count(*) FILTER (WHERE {Current}),
                       count(*) FILTER (WHERE {Current} AND p.origin_region_code NOT LIKE '5201%'),
                       count(*) FILTER (WHERE r.status = 'submitted'),
                       now()
                FROM residence_registrations r JOIN persons p ON p.id = r.person_id
                WHERE r.status IN ('submitted', 'confirmed', 'verified')
                GROUP BY r.building_id;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS building_counts_after_insert ON residence_registrations;
                DROP TRIGGER IF EXISTS building_counts_after_update ON residence_registrations;
                DROP TRIGGER IF EXISTS building_counts_after_delete ON residence_registrations;
                DROP TRIGGER IF EXISTS building_counts_after_truncate ON residence_registrations;
                DROP TRIGGER IF EXISTS building_counts_after_origin_change ON persons;
                DROP FUNCTION IF EXISTS building_counts_from_registrations();
                DROP FUNCTION IF EXISTS building_counts_from_person_origin();
                """);

            migrationBuilder.DropTable(
                name: "building_counts");
        }
    }
}
