using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    /// <inheritdoc />
    public partial class RegistrationContactPhoneAndTips : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "contact_phone_cipher",
                table: "residence_registrations",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "contact_phone_index",
                table: "residence_registrations",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "entered_by_id",
                table: "residence_registrations",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "tips",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    building_id = table.Column<long>(type: "bigint", nullable: false),
                    text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    handled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    handled_by_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tips", x => x.id);
                    table.ForeignKey(
                        name: "fk_tips_buildings_building_id",
                        column: x => x.building_id,
                        principalTable: "buildings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tips_building_id_submitted_at",
                table: "tips",
                columns: new[] { "building_id", "submitted_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tips");

            migrationBuilder.DropColumn(
                name: "contact_phone_cipher",
                table: "residence_registrations");

            migrationBuilder.DropColumn(
                name: "contact_phone_index",
                table: "residence_registrations");

            migrationBuilder.DropColumn(
                name: "entered_by_id",
                table: "residence_registrations");
        }
    }
}
