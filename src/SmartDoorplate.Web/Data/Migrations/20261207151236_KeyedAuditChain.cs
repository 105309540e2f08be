using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // The chain's links become keyed (Audit/AuditEvent): the app computes them with a key the database
    // never holds, so audit_seal(), which computed them in the database, gives way to
    // audit_seal_links(), which only writes the app's links onto rows still awaiting their seal and
    // checks that they continue the chain. Rows linked before keep their SHA-256 links (link_key_id
    // null) and still verify. audit_checkpoints holds the signed heads, append-only like the events.
    public partial class KeyedAuditChain : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<short>(
                name: "link_key_id",
                table: "audit_events",
                type: "smallint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    chain_seq = table.Column<long>(type: "bigint", nullable: false),
                    head_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    link_key_id = table.Column<short>(type: "smallint", nullable: true),
                    signing_key_id = table.Column<short>(type: "smallint", nullable: false),
                    signature = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_checkpoints", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_checkpoints_chain_seq",
                table: "audit_checkpoints",
                column: "chain_seq",
                unique: true);

            migrationBuilder.Sql("""
                DROP FUNCTION audit_seal(integer);

                -- Runs as its owner (who may update audit_events; sd_app may not), under the chain's
                -- advisory lock, which the caller holds already (the lock is re-entrant). The caller read
                -- the head and the waiting rows under that lock and computed their links; this writes
                -- them, refusing links that do not continue the head or rows that are sealed already.
                CREATE FUNCTION audit_seal_links(event_ids bigint[], links bytea[], key_id smallint, first_seq bigint, first_previous bytea)
                RETURNS integer
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE
                    head_seq bigint;
                    head_hash bytea;
                    sealed integer;
                BEGIN
                    IF coalesce(cardinality(event_ids), 0) = 0 THEN
                        RETURN 0;
                    END IF;
                    IF cardinality(event_ids) <> cardinality(links) OR key_id IS NULL THEN
                        RAISE EXCEPTION 'audit_seal_links: one link per event, and a key id, are needed';
                    END IF;
                    PERFORM pg_advisory_xact_lock(402130041930);
                    SELECT chain_seq, hash INTO head_seq, head_hash
                        FROM audit_events WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
                    IF first_seq IS DISTINCT FROM coalesce(head_seq, 0) + 1
                       OR first_previous IS DISTINCT FROM coalesce(head_hash, decode(repeat('00', 32), 'hex')) THEN
                        RAISE EXCEPTION 'audit_seal_links: the links do not continue the chain at position %', coalesce(head_seq, 0) + 1
                            USING ERRCODE = 'serialization_failure';
                    END IF;
                    PERFORM set_config('sd.audit_sealing', 'on', true);
                    UPDATE audit_events e
                       SET chain_seq = first_seq + p.n - 1,
                           previous_hash = CASE WHEN p.n = 1 THEN first_previous ELSE links[p.n - 1] END,
                           hash = p.link,
                           link_key_id = key_id
                      FROM unnest(event_ids, links) WITH ORDINALITY AS p(event_id, link, n)
                     WHERE e.id = p.event_id AND e.chain_seq IS NULL;
                    GET DIAGNOSTICS sealed = ROW_COUNT;
                    PERFORM set_config('sd.audit_sealing', 'off', true);
                    IF sealed <> cardinality(event_ids) THEN
                        RAISE EXCEPTION 'audit_seal_links: % of % events were not awaiting their seal', cardinality(event_ids) - sealed, cardinality(event_ids)
                            USING ERRCODE = 'serialization_failure';
                    END IF;
                    RETURN sealed;
                END
                $$;
                REVOKE ALL ON FUNCTION audit_seal_links(bigint[], bytea[], smallint, bigint, bytea) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION audit_seal_links(bigint[], bytea[], smallint, bigint, bytea) TO sd_app;

                -- A sealed link is a link: each row once, when it has none.
                ALTER TABLE audit_events ADD CONSTRAINT ck_audit_events_key_only_when_sealed
                    CHECK (link_key_id IS NULL OR chain_seq IS NOT NULL);

                -- Checkpoints are evidence too: the app may add them, nobody may change or remove them.
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM sd_app;
                CREATE FUNCTION audit_checkpoints_refuse_change() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit_checkpoints is append-only: % refused', TG_OP
                        USING ERRCODE = 'insufficient_privilege',
                              HINT = 'Checkpoints are signed evidence of the audit chain; they are never changed or deleted.';
                END
                $$;
                CREATE TRIGGER audit_checkpoints_append_only
                    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_refuse_change();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER audit_checkpoints_append_only ON audit_checkpoints;
                DROP FUNCTION audit_checkpoints_refuse_change();
                ALTER TABLE audit_events DROP CONSTRAINT ck_audit_events_key_only_when_sealed;
                DROP FUNCTION audit_seal_links(bigint[], bytea[], smallint, bigint, bytea);
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

            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropColumn(
                name: "link_key_id",
                table: "audit_events");
        }
    }
}
