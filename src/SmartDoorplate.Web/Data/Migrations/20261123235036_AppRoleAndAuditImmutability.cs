using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // The web app connects as sd_app, a role that owns nothing: it reads and writes rows but cannot
    // change the schema, and on audit_events it may only SELECT and INSERT (数据铁笼). Migrations,
    // seeding and imports connect as the owner (see DataServices). A trigger also refuses UPDATE,
    // DELETE and TRUNCATE on audit_events for roles that do hold the grants; only a superuser can get
    // past it (session_replication_role = replica, or disabling the trigger), and `audit verify` then
    // still finds the changed row because the rows are hash-chained.
    public partial class AppRoleAndAuditImmutability : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Roles belong to the cluster, not to the database: another database (a test database, a
            // second environment) may have created sd_app already, possibly at the same moment. In
            // production a DBA creates it beforehand with a password, and this block leaves it alone.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_app') THEN
                        CREATE ROLE sd_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
                    END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    NULL;
                END
                $$;
                """);

            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO sd_app', current_database());
                END
                $$;
                GRANT USAGE ON SCHEMA public TO sd_app;
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sd_app;
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sd_app;
                -- Tables and sequences that later migrations create (as this same owner) get the same grants.
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sd_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO sd_app;

                -- Read-only for the app: the migration history and PostGIS's own catalogue.
                REVOKE INSERT, UPDATE, DELETE ON "__EFMigrationsHistory", spatial_ref_sys FROM sd_app;
                REVOKE INSERT, UPDATE, DELETE ON geometry_columns, geography_columns FROM sd_app;

                -- Append-only.
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM sd_app;

                CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
                        USING ERRCODE = 'insufficient_privilege',
                              HINT = 'Audit rows are hash-chained evidence; they are never changed or deleted.';
                END
                $$;

                CREATE TRIGGER audit_events_append_only
                    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The role itself stays: it is cluster-wide, and other databases may still grant it rights.
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events;
                DROP FUNCTION IF EXISTS audit_events_refuse_change();

                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM sd_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM sd_app;
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM sd_app;
                REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM sd_app;
                REVOKE USAGE ON SCHEMA public FROM sd_app;
                DO $$
                BEGIN
                    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM sd_app', current_database());
                END
                $$;
                """);
        }
    }
}
