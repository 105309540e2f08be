using Microsoft.EntityFrameworkCore.Migrations;
using SmartDoorplate.Accounts;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // Sessions carry an account's role, station and district from sign-in (Accounts/AccountAccess).
    // When those change, or disabled_at, sessions issued before are void: users.sessions_since is
    // stamped by the database (the database's own column, like the cell keys: EF Core does not map
    // it). Tickets carry their issue time in whole seconds, so the stamp is the next whole second: a
    // session issued in the same second as the change is refused too (its holder signs in again),
    // never one issued before it let through.
    //
    // The app keeps each account's current state in memory, so every such change, a deleted account,
    // or a direct write of sessions_since notifies AccountAccess.AccountChannel with the user's id,
    // whichever process made it; TRUNCATE notifies with an empty payload (every account). Sign-in
    // bookkeeping (failed attempts, lockout) changes other columns and sends nothing.
    public partial class AccountChangeNotices : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                ALTER TABLE users ADD COLUMN sessions_since timestamptz;

                CREATE FUNCTION users_stamp_sessions_since() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.sessions_since := date_trunc('second', now()) + interval '1 second';
                    RETURN NEW;
                END
                $$;

                CREATE TRIGGER users_access_changed BEFORE UPDATE ON users FOR EACH ROW
                WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.station_id IS DISTINCT FROM NEW.station_id
                      OR OLD.district_id IS DISTINCT FROM NEW.district_id OR OLD.disabled_at IS DISTINCT FROM NEW.disabled_at)
                EXECUTE FUNCTION users_stamp_sessions_since();

                CREATE FUNCTION notify_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_LEVEL = 'ROW' THEN
                        PERFORM pg_notify('{AccountAccess.AccountChannel}', OLD.id::text);
                    ELSE
                        PERFORM pg_notify('{AccountAccess.AccountChannel}', '');
                    END IF;
                    RETURN NULL;
                END
                $$;

                CREATE TRIGGER users_notify_access_changed AFTER UPDATE ON users FOR EACH ROW
                WHEN (OLD.sessions_since IS DISTINCT FROM NEW.sessions_since OR OLD.id IS DISTINCT FROM NEW.id)
                EXECUTE FUNCTION notify_account_changed();

                CREATE TRIGGER users_notify_deleted AFTER DELETE ON users FOR EACH ROW
                EXECUTE FUNCTION notify_account_changed();

                CREATE TRIGGER users_notify_truncated AFTER TRUNCATE ON users FOR EACH STATEMENT
                EXECUTE FUNCTION notify_account_changed();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER users_notify_truncated ON users;
                DROP TRIGGER users_notify_deleted ON users;
                DROP TRIGGER users_notify_access_changed ON users;
                DROP FUNCTION notify_account_changed();
                DROP TRIGGER users_access_changed ON users;
                DROP FUNCTION users_stamp_sessions_since();
                ALTER TABLE users DROP COLUMN sessions_since;
                """);
        }
    }
}
