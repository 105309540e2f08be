using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // building_counts (migration BuildingCounts) for the single insert of a tenant's submission: a
    // row-level trigger adds the one row to its building's counts. The statement-level trigger with
    // its transition table and set-based upsert cost about 0.7 ms of PostgreSQL time per submission
    // (scripts/bench/registration-trigger.sh), a sixth of the server's work at 500 submissions a second.
    // Bulk loads that COPY many rows in one statement (the city seed, the residents import) set
    // smartdoorplate.count_per = 'statement' in their transaction and keep the set-based trigger: one
    // upsert per building per statement instead of one per row. Exactly one of the two triggers counts
    // any insert; updates, deletes and truncates stay statement-level as before.
    public partial class BuildingCountsPerRowInsert : Migration
    {
        // Current = confirmed or verified with no move-out date (CurrentResidents.IsCurrent); pending = submitted.
        private const string CountedRow = """
            (NEW.status = 'submitted' OR (NEW.status IN ('confirmed', 'verified') AND NEW.move_out_date IS NULL))
            """;

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE FUNCTION building_counts_from_registration_insert() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                BEGIN
                    -- Called only for a counted row (the trigger's WHEN): submitted, or current.
                    INSERT INTO building_counts AS c (building_id, residents, floating, pending, updated_at)
                    VALUES (NEW.building_id,
                            CASE WHEN NEW.status = 'submitted' THEN 0 ELSE 1 END,
                            CASE WHEN NEW.status = 'submitted' THEN 0
                                 WHEN (SELECT p.origin_region_code NOT LIKE '5201%' FROM persons p WHERE p.id = NEW.person_id) THEN 1
                                 ELSE 0 END,
                            CASE WHEN NEW.status = 'submitted' THEN 1 ELSE 0 END,
                            now())
                    ON CONFLICT (building_id) DO UPDATE
                        SET residents = c.residents + excluded.residents, floating = c.floating + excluded.floating,
                            pending = c.pending + excluded.pending, updated_at = excluded.updated_at;
                    RETURN NULL;
                END
                $$;

                DROP TRIGGER building_counts_after_insert ON residence_registrations;
                CREATE TRIGGER building_counts_after_insert AFTER INSERT ON residence_registrations
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
                    WHEN (current_setting('smartdoorplate.count_per', true) = 'statement')
                    EXECUTE FUNCTION building_counts_from_registrations();
                CREATE TRIGGER building_counts_after_insert_row AFTER INSERT ON residence_registrations
                    FOR EACH ROW
                    WHEN ({CountedRow} AND current_setting('smartdoorplate.count_per', true) IS DISTINCT FROM 'statement')
                    EXECUTE FUNCTION building_counts_from_registration_insert();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER building_counts_after_insert_row ON residence_registrations;
                DROP TRIGGER building_counts_after_insert ON residence_registrations;
                CREATE TRIGGER building_counts_after_insert AFTER INSERT ON residence_registrations
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION building_counts_from_registrations();
                DROP FUNCTION building_counts_from_registration_insert();
                """);
        }
    }
}
