using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // Covering indexes for the residents' statistics (Policing/Statistics/StatisticsSql): a station's
    // registrations are read by building and its residents' persons by key, some 50,000 and 33,000
    // rows for the city seed's largest station. From these indexes they are index-only scans, so the
    // statement reads two compact indexes instead of scattered pages of two heaps (the persons heap
    // holds the ciphertexts too). The model does not know INCLUDE columns on these, so they are SQL,
    // like the triggers, and EF's snapshot is unchanged.
    public partial class StatisticsIndexes : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX IF NOT EXISTS ix_residence_registrations_building_id_statistics ON residence_registrations (building_id)
                    INCLUDE (status, move_out_date, submitted_at, late, reason, person_id);
                CREATE INDEX IF NOT EXISTS ix_persons_id_statistics ON persons (id) INCLUDE (origin_region_code, birth_date, sex);
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_persons_id_statistics;
                DROP INDEX IF EXISTS ix_residence_registrations_building_id_statistics;
                """);
        }
    }
}
