using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    /// <inheritdoc />
    public partial class WatchList : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "watch_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id_number_index = table.Column<byte[]>(type: "bytea", nullable: false),
                    reference = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    upload_id = table.Column<Guid>(type: "uuid", nullable: false),
                    added_by_id = table.Column<long>(type: "bigint", nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    removed_by_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_watch_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_watch_entries_users_added_by_id",
                        column: x => x.added_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_watch_entries_users_removed_by_id",
                        column: x => x.removed_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "watch_alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    entry_id = table.Column<long>(type: "bigint", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    building_id = table.Column<long>(type: "bigint", nullable: false),
                    station_id = table.Column<long>(type: "bigint", nullable: false),
                    raised_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    proposed_by_id = table.Column<long>(type: "bigint", nullable: true),
                    proposed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    proposal_note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    decided_by_id = table.Column<long>(type: "bigint", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision_note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_watch_alerts", x => x.id);
                    table.ForeignKey(
                        name: "fk_watch_alerts_buildings_building_id",
                        column: x => x.building_id,
                        principalTable: "buildings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_watch_alerts_persons_person_id",
                        column: x => x.person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_watch_alerts_police_stations_station_id",
                        column: x => x.station_id,
                        principalTable: "police_stations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_watch_alerts_registrations_registration_id",
                        column: x => x.registration_id,
                        principalTable: "residence_registrations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_watch_alerts_users_decided_by_id",
                        column: x => x.decided_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_watch_alerts_users_proposed_by_id",
                        column: x => x.proposed_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_watch_alerts_watch_entries_entry_id",
                        column: x => x.entry_id,
                        principalTable: "watch_entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_watch_alerts_building_id",
                table: "watch_alerts",
                column: "building_id");

            migrationBuilder.CreateIndex(
                name: "ix_watch_alerts_decided_by_id",
                table: "watch_alerts",
                column: "decided_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_watch_alerts_entry_id_registration_id",
                table: "watch_alerts",
                columns: new[] { "entry_id", "registration_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_watch_alerts_person_id",
                table: "watch_alerts",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_watch_alerts_proposed_by_id",
                table: "watch_alerts",
                column: "proposed_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_watch_alerts_registration_id",
                table: "watch_alerts",
                column: "registration_id");

            migrationBuilder.CreateIndex(
                name: "ix_watch_alerts_station_id_status",
                table: "watch_alerts",
                columns: new[] { "station_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_watch_entries_added_by_id",
                table: "watch_entries",
                column: "added_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_watch_entries_id_number_index",
                table: "watch_entries",
                column: "id_number_index",
                unique: true,
                filter: "removed_at is null");

            migrationBuilder.CreateIndex(
                name: "ix_watch_entries_removed_by_id",
                table: "watch_entries",
                column: "removed_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_watch_entries_upload_id",
                table: "watch_entries",
                column: "upload_id");

            // The app role (AppRoleAndAuditImmutability): rows only, and no DELETE at all — an entry is
            // removed softly and an alert is decided, never erased, so the four-eyes record stays.
            migrationBuilder.Sql("""
                GRANT SELECT, INSERT, UPDATE ON watch_entries, watch_alerts TO sd_app;
                REVOKE DELETE, TRUNCATE ON watch_entries, watch_alerts FROM sd_app;
                DO $$
                BEGIN
                    EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s, %s TO sd_app',
                        pg_get_serial_sequence('watch_entries', 'id'), pg_get_serial_sequence('watch_alerts', 'id'));
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "watch_alerts");

            migrationBuilder.DropTable(
                name: "watch_entries");
        }
    }
}
