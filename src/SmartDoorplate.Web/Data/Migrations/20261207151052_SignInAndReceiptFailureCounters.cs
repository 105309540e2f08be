using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // Failed sign-ins per typed user name and client address (Accounts/SignInThrottle) and wrong
    // phones per receipt (Registrations/ReceiptLookUpFailure): counters every instance shares. The
    // app adds, counts up and forgets rows; they hold no name and no phone.
    public partial class SignInAndReceiptFailureCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "receipt_look_up_failures",
                columns: table => new
                {
                    receipt = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    window_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    failures = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_receipt_look_up_failures", x => x.receipt);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_failures",
                columns: table => new
                {
                    user_name_index = table.Column<byte[]>(type: "bytea", nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    failures = table.Column<int>(type: "integer", nullable: false),
                    last_failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_failures", x => new { x.user_name_index, x.client_address });
                });

            migrationBuilder.CreateIndex(
                name: "ix_receipt_look_up_failures_window_started_at",
                table: "receipt_look_up_failures",
                column: "window_started_at");

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_failures_last_failed_at",
                table: "sign_in_failures",
                column: "last_failed_at");

            migrationBuilder.Sql("""
                GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_failures TO sd_app;
                GRANT SELECT, INSERT, UPDATE, DELETE ON receipt_look_up_failures TO sd_app;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "receipt_look_up_failures");

            migrationBuilder.DropTable(
                name: "sign_in_failures");
        }
    }
}
