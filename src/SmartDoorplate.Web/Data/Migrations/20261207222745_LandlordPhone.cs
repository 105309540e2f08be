using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    /// <inheritdoc />
    public partial class LandlordPhone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "contact_phone_cipher",
                table: "users",
                type: "bytea",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "contact_phone_cipher",
                table: "users");
        }
    }
}
