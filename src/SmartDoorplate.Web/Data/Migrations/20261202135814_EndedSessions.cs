using System;
using Microsoft.EntityFrameworkCore.Migrations;
using SmartDoorplate.Accounts;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // Signed-out sessions (Accounts/EndedSession). The app adds and reads them, and deletes those no
    // copy can use any more; it never changes one. Each new row notifies AccountAccess.SessionChannel
    // with its id on commit, so every instance refuses the session at once.
    public partial class EndedSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ended_sessions",
                columns: table => new
                {
                    session_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ended_sessions", x => x.session_id);
                    table.ForeignKey(
                        name: "fk_ended_sessions_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ended_sessions_expires_at",
                table: "ended_sessions",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_ended_sessions_user_id",
                table: "ended_sessions",
                column: "user_id");

            migrationBuilder.Sql($"""
                GRANT SELECT, INSERT, DELETE ON ended_sessions TO sd_app;
                REVOKE UPDATE, TRUNCATE ON ended_sessions FROM sd_app;

                CREATE FUNCTION notify_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('{AccountAccess.SessionChannel}', NEW.session_id);
                    RETURN NULL;
                END
                $$;

                CREATE TRIGGER ended_sessions_notify AFTER INSERT ON ended_sessions FOR EACH ROW
                EXECUTE FUNCTION notify_session_ended();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ended_sessions");
            migrationBuilder.Sql("DROP FUNCTION notify_session_ended();");
        }
    }
}
