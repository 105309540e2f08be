using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    /// <inheritdoc />
    public partial class LandlordDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "end_reason",
                table: "residence_registrations",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rejection_code",
                table: "residence_registrations",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "submitted_name",
                table: "residence_registrations",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "end_reason",
                table: "residence_registrations");

            migrationBuilder.DropColumn(
                name: "rejection_code",
                table: "residence_registrations");

            migrationBuilder.DropColumn(
                name: "submitted_name",
                table: "residence_registrations");
        }
    }
}
