using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    /// <inheritdoc />
    public partial class HotspotRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hotspot_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    area_key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    station_id = table.Column<long>(type: "bigint", nullable: true),
                    district_id = table.Column<long>(type: "bigint", nullable: true),
                    inputs_key = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    data_stamp = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    parameters = table.Column<string>(type: "jsonb", nullable: false),
                    created_by_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    cells = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotspot_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hotspot_cells",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    cell = table.Column<int>(type: "integer", nullable: false),
                    geometry = table.Column<Polygon>(type: "geometry(Polygon,4326)", nullable: false),
                    x = table.Column<double>(type: "double precision", nullable: false),
                    y = table.Column<double>(type: "double precision", nullable: false),
                    count = table.Column<double>(type: "double precision", nullable: false),
                    residents = table.Column<double>(type: "double precision", nullable: false),
                    rate = table.Column<double>(type: "double precision", nullable: true),
                    z = table.Column<double>(type: "double precision", nullable: true),
                    p = table.Column<double>(type: "double precision", nullable: true),
                    @class = table.Column<string>(name: "class", type: "character varying(20)", maxLength: 20, nullable: false),
                    bin = table.Column<int>(type: "integer", nullable: false),
                    before = table.Column<double>(type: "double precision", nullable: true),
                    after = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotspot_cells", x => new { x.run_id, x.cell });
                    table.ForeignKey(
                        name: "fk_hotspot_cells_hotspot_run_run_id",
                        column: x => x.run_id,
                        principalTable: "hotspot_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_hotspot_cells_geometry",
                table: "hotspot_cells",
                column: "geometry")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_hotspot_runs_area_key_kind_created_at",
                table: "hotspot_runs",
                columns: new[] { "area_key", "kind", "created_at" });

            // Runs are the record of what officers were shown: the app adds and reads them, never
            // changes or removes them (the default privileges of AppRoleAndAuditImmutability would).
            migrationBuilder.Sql("""
                GRANT SELECT, INSERT ON hotspot_runs, hotspot_cells TO sd_app;
                REVOKE UPDATE, DELETE, TRUNCATE ON hotspot_runs, hotspot_cells FROM sd_app;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hotspot_cells");

            migrationBuilder.DropTable(
                name: "hotspot_runs");
        }
    }
}
