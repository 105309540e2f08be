using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // Appending and chaining become two steps (see Audit/AuditEvent): requests insert rows with a
    // digest of their fields and no lock; audit_seal() links committed rows into the chain. The
    // trigger now lets one change through: the sealer setting a row's chain position and hashes, once,
    // with every other field unchanged. Rows written before this migration keep their one-step hashes
    // and get chain positions in id order (the order they were chained in).
    public partial class SealedAuditChain : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER audit_events_append_only ON audit_events;");

            migrationBuilder.AlterColumn<byte[]>(
                name: "previous_hash",
                table: "audit_events",
                type: "bytea",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.AlterColumn<byte[]>(
                name: "hash",
                table: "audit_events",
                type: "bytea",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.AddColumn<long>(
                name: "chain_seq",
                table: "audit_events",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "content_hash",
                table: "audit_events",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_chain_seq",
                table: "audit_events",
                column: "chain_seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_unsealed",
                table: "audit_events",
                column: "id",
                filter: "chain_seq is null");

            migrationBuilder.Sql("""
                UPDATE audit_events e SET chain_seq = s.seq
                FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq FROM audit_events) s
                WHERE s.id = e.id;

                -- A row is either sealed (position and both hashes) or waiting with its digest.
                ALTER TABLE audit_events ADD CONSTRAINT ck_audit_events_sealed_or_digested
                    CHECK ((chain_seq IS NULL AND previous_hash IS NULL AND hash IS NULL AND content_hash IS NOT NULL)
                        OR (chain_seq IS NOT NULL AND previous_hash IS NOT NULL AND hash IS NOT NULL));

                CREATE FUNCTION audit_events_allow_seal_only() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF current_setting('sd.audit_sealing', true) = 'on'
                       AND OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL
                       AND (NEW.id, NEW.at, NEW.actor_user_id, NEW.actor_name, NEW.actor_role, NEW.actor_organisation,
                            NEW.action, NEW.target_type, NEW.target_id, NEW.purpose, NEW.client_address, NEW.details,
                            NEW.content_hash)
                           IS NOT DISTINCT FROM
                           (OLD.id, OLD.at, OLD.actor_user_id, OLD.actor_name, OLD.actor_role, OLD.actor_organisation,
                            OLD.action, OLD.target_type, OLD.target_id, OLD.purpose, OLD.client_address, OLD.details,
                            OLD.content_hash)
                    THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
                        USING ERRCODE = 'insufficient_privilege',
                              HINT = 'Audit rows are hash-chained evidence; they are never changed or deleted.';
                END
                $$;

                CREATE TRIGGER audit_events_append_only
                    BEFORE UPDATE ON audit_events
                    FOR EACH ROW EXECUTE FUNCTION audit_events_allow_seal_only();
                CREATE TRIGGER audit_events_no_delete
                    BEFORE DELETE OR TRUNCATE ON audit_events
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

                -- Runs as its owner (who may update audit_events; sd_app may not), under the chain's
                -- advisory lock, so concurrent sealers take turns. Rows are taken in id order among
                -- those committed so far; a row that commits later is sealed in a later call, so the
                -- chain order is the order rows became visible, and positions have no holes.
                CREATE FUNCTION audit_seal(max_rows integer DEFAULT 5000) RETURNS integer
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE
                    last_seq bigint;
                    last_hash bytea;
                    next_hash bytea;
                    pending record;
                    sealed integer := 0;
                BEGIN
                    PERFORM pg_advisory_xact_lock(402130041930);
                    SELECT chain_seq, hash INTO last_seq, last_hash
                        FROM audit_events WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
                    IF last_seq IS NULL THEN
                        last_seq := 0;
                        last_hash := decode(repeat('00', 32), 'hex');
                    END IF;
                    PERFORM set_config('sd.audit_sealing', 'on', true);
                    FOR pending IN
                        SELECT id, content_hash FROM audit_events WHERE chain_seq IS NULL ORDER BY id LIMIT max_rows
                    LOOP
                        last_seq := last_seq + 1;
                        next_hash := sha256(last_hash || pending.content_hash);
                        UPDATE audit_events SET chain_seq = last_seq, previous_hash = last_hash, hash = next_hash
                            WHERE id = pending.id;
                        last_hash := next_hash;
                        sealed := sealed + 1;
                    END LOOP;
                    PERFORM set_config('sd.audit_sealing', 'off', true);
                    RETURN sealed;
                END
                $$;
                REVOKE ALL ON FUNCTION audit_seal(integer) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION audit_seal(integer) TO sd_app;
                """);
        }

        // Down needs every row sealed first (`sdp audit verify` seals): unsealed rows have no hash.
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION audit_seal(integer);
                DROP TRIGGER audit_events_no_delete ON audit_events;
                DROP TRIGGER audit_events_append_only ON audit_events;
                DROP FUNCTION audit_events_allow_seal_only();
                ALTER TABLE audit_events DROP CONSTRAINT ck_audit_events_sealed_or_digested;
                """);

            migrationBuilder.DropIndex(
                name: "ix_audit_events_chain_seq",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "ix_audit_events_unsealed",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "chain_seq",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "content_hash",
                table: "audit_events");

            migrationBuilder.AlterColumn<byte[]>(
                name: "previous_hash",
                table: "audit_events",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "hash",
                table: "audit_events",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldNullable: true);

            migrationBuilder.Sql("""
                CREATE TRIGGER audit_events_append_only
                    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
                """);
        }
    }
}
