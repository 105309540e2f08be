using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // Web Mercator cell keys (Analytics/Geodesy/MercatorCells): each case and each building entrance
    // stores the Morton key of the zoom-20 tile it lies in, as a generated column, so no writer can
    // forget it. The map's cell tiles (Map/VectorTileLayers, zoom 12–14) then read one key range per
    // tile from a covering index and group by the key shifted right, instead of transforming and
    // flooring every point of the tile (213,000 cases in a z12 tile of central Yunyan at city scale).
    // The columns are the database's own: EF Core does not map them.
    public partial class MercatorCellKeys : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- One step of the binary magic numbers (Hacker's Delight 7–2), both ways.
                CREATE FUNCTION mercator_spread_step(v bigint, k integer, mask bigint) RETURNS bigint
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT (v | (v << k)) & mask';
                CREATE FUNCTION mercator_compact_step(v bigint, k integer, mask bigint) RETURNS bigint
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT (v | (v >> k)) & mask';

                -- Bit i of v to bit 2i, and back.
                CREATE FUNCTION mercator_spread(v bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                    SELECT mercator_spread_step(mercator_spread_step(mercator_spread_step(mercator_spread_step(mercator_spread_step(
                        v, 16, x'0000FFFF0000FFFF'::bigint), 8, x'00FF00FF00FF00FF'::bigint), 4, x'0F0F0F0F0F0F0F0F'::bigint),
                        2, x'3333333333333333'::bigint), 1, x'5555555555555555'::bigint)
                $$;
                CREATE FUNCTION mercator_compact(v bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                    SELECT mercator_compact_step(mercator_compact_step(mercator_compact_step(mercator_compact_step(mercator_compact_step(
                        v & x'5555555555555555'::bigint, 1, x'3333333333333333'::bigint), 2, x'0F0F0F0F0F0F0F0F'::bigint),
                        4, x'00FF00FF00FF00FF'::bigint), 8, x'0000FFFF0000FFFF'::bigint), 16, x'00000000FFFFFFFF'::bigint)
                $$;

                -- The key of the zoom-20 tile holding a point (MercatorCells.KeyOf): x east from 180° W, y south
                -- from the top, both clamped to the grid. It names its search_path: a stored generated column
                -- is computed again on a restore, and pg_dump restores with an empty one.
                CREATE FUNCTION mercator_cell_key(point geometry) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    SET search_path = public, pg_temp AS $$
                    SELECT mercator_spread(least(greatest(floor((ST_X(m.p) + 20037508.342789244) / (2 * 20037508.342789244 / 1048576)), 0), 1048575)::bigint)
                         | (mercator_spread(least(greatest(floor((20037508.342789244 - ST_Y(m.p)) / (2 * 20037508.342789244 / 1048576)), 0), 1048575)::bigint) << 1)
                    FROM (SELECT ST_Transform(point, 3857) AS p) m
                $$;

                -- A cell's column and row from its key, at whatever level the key is. Without SET clauses these
                -- SQL functions are inlined into the tile queries; with one, each call cost some 50 µs.
                CREATE FUNCTION mercator_cell_x(key bigint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT mercator_compact(key)::integer';
                CREATE FUNCTION mercator_cell_y(key bigint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT mercator_compact(key >> 1)::integer';

                ALTER TABLE cases ADD COLUMN location_cell bigint GENERATED ALWAYS AS (mercator_cell_key(location)) STORED;
                ALTER TABLE buildings ADD COLUMN entrance_cell bigint GENERATED ALWAYS AS (mercator_cell_key(entrance)) STORED;

                -- Covering: a cell tile reads the index alone (what it filters and counts by).
                CREATE INDEX ix_cases_location_cell ON cases (location_cell) INCLUDE (occurred_at, type, status, grid_id);
                CREATE INDEX ix_buildings_entrance_cell ON buildings (entrance_cell) INCLUDE (grid_id, id);
                """);
            // Adding the columns rewrote both tables, which clears their visibility maps: until a vacuum,
            // the index-only scans above read the heap after all (a z12 cases tile 37 → 480 ms). VACUUM
            // cannot run in the migration's transaction.
            migrationBuilder.Sql("VACUUM (ANALYZE) cases, buildings;", suppressTransaction: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE cases DROP COLUMN location_cell;
                ALTER TABLE buildings DROP COLUMN entrance_cell;
                DROP FUNCTION mercator_cell_y(bigint);
                DROP FUNCTION mercator_cell_x(bigint);
                DROP FUNCTION mercator_cell_key(geometry);
                DROP FUNCTION mercator_compact(bigint);
                DROP FUNCTION mercator_spread(bigint);
                DROP FUNCTION mercator_compact_step(bigint, integer, bigint);
                DROP FUNCTION mercator_spread_step(bigint, integer, bigint);
                """);
        }
    }
}
