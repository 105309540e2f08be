using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    /// <inheritdoc />
    public partial class TravelDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "police_report_due_at",
                table: "residence_registrations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "document_type",
                table: "persons",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "resident_id");

            migrationBuilder.AddColumn<string>(
                name: "nationality",
                table: "persons",
                type: "character(3)",
                fixedLength: true,
                maxLength: 3,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_residence_registrations_police_report_due_at",
                table: "residence_registrations",
                column: "police_report_due_at",
                filter: "police_report_due_at is not null");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_residence_registrations_police_report_due_at",
                table: "residence_registrations");

            migrationBuilder.DropColumn(
                name: "police_report_due_at",
                table: "residence_registrations");

            migrationBuilder.DropColumn(
                name: "document_type",
                table: "persons");

            migrationBuilder.DropColumn(
                name: "nationality",
                table: "persons");
        }
    }
}
