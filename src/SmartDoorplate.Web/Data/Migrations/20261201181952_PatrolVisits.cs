using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    /// <inheritdoc />
    public partial class PatrolVisits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "patrol_visits",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    building_id = table.Column<long>(type: "bigint", nullable: false),
                    officer_id = table.Column<long>(type: "bigint", nullable: false),
                    station_id = table.Column<long>(type: "bigint", nullable: false),
                    doorplate_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    visited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    position = table.Column<Point>(type: "geometry(Point,4326)", nullable: true),
                    accuracy_metres = table.Column<double>(type: "double precision", nullable: true),
                    distance_metres = table.Column<double>(type: "double precision", nullable: true),
                    far = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patrol_visits", x => x.id);
                    table.CheckConstraint("ck_patrol_visits_accuracy", "accuracy_metres is null or (accuracy_metres >= 0 and position is not null)");
                    table.CheckConstraint("ck_patrol_visits_distance", "(distance_metres is null) = (position is null)");
                    table.ForeignKey(
                        name: "fk_patrol_visits_buildings_building_id",
                        column: x => x.building_id,
                        principalTable: "buildings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_patrol_visits_police_stations_station_id",
                        column: x => x.station_id,
                        principalTable: "police_stations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_patrol_visits_users_officer_id",
                        column: x => x.officer_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_patrol_visits_building_id_visited_at",
                table: "patrol_visits",
                columns: new[] { "building_id", "visited_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_patrol_visits_officer_id_visited_at",
                table: "patrol_visits",
                columns: new[] { "officer_id", "visited_at" });

            migrationBuilder.CreateIndex(
                name: "ix_patrol_visits_position",
                table: "patrol_visits",
                column: "position")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_patrol_visits_station_id_visited_at",
                table: "patrol_visits",
                columns: new[] { "station_id", "visited_at" });

            // The default privileges of AppRoleAndAuditImmutability would give the app every right;
            // a check-in is a record of what happened, so the app may add and read visits, never
            // change or remove one.
            migrationBuilder.Sql("""
                GRANT SELECT, INSERT ON patrol_visits TO sd_app;
                REVOKE UPDATE, DELETE, TRUNCATE ON patrol_visits FROM sd_app;
                GRANT USAGE, SELECT ON SEQUENCE patrol_visits_id_seq TO sd_app;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "patrol_visits");
        }
    }
}
