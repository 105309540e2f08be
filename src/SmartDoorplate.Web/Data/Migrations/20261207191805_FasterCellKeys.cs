using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmartDoorplate.Data.Migrations
{
    // mercator_cell_key computes the stored entrance_cell and location_cell of every inserted building and
    // case. As a SQL function that cannot be inlined (a FROM clause, STRICT around least/greatest, a SET
    // clause) each call ran its body through a fresh executor, so ST_Transform set up its PROJ
    // transformation again for every row: some 70 µs a row, 14 s of a 200,000-footprint import. In
    // PL/pgSQL the expressions keep their state between calls (about 2 µs a row). The body is the same
    // arithmetic (MercatorCells.KeyOf), so every stored key stays valid. It names its schema in every
    // call instead of setting search_path: a restore computes generated columns with an empty one.
    public partial class FasterCellKeys : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION mercator_cell_key(point geometry) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
                DECLARE
                    p public.geometry := public.ST_Transform(point, 3857);
                    x bigint := least(greatest(floor((public.ST_X(p) + 20037508.342789244) / (2 * 20037508.342789244 / 1048576)), 0), 1048575)::bigint;
                    y bigint := least(greatest(floor((20037508.342789244 - public.ST_Y(p)) / (2 * 20037508.342789244 / 1048576)), 0), 1048575)::bigint;
                BEGIN
                    -- Bit i of x to bit 2i (mercator_spread), and of y to bit 2i + 1.
                    x := (x | (x << 16)) & x'0000FFFF0000FFFF'::bigint;  y := (y | (y << 16)) & x'0000FFFF0000FFFF'::bigint;
                    x := (x | (x << 8)) & x'00FF00FF00FF00FF'::bigint;   y := (y | (y << 8)) & x'00FF00FF00FF00FF'::bigint;
                    x := (x | (x << 4)) & x'0F0F0F0F0F0F0F0F'::bigint;   y := (y | (y << 4)) & x'0F0F0F0F0F0F0F0F'::bigint;
                    x := (x | (x << 2)) & x'3333333333333333'::bigint;   y := (y | (y << 2)) & x'3333333333333333'::bigint;
                    x := (x | (x << 1)) & x'5555555555555555'::bigint;   y := (y | (y << 1)) & x'5555555555555555'::bigint;
                    RETURN x | (y << 1);
                END
                $$;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION mercator_cell_key(point geometry) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    SET search_path = public, pg_temp AS $$
                    SELECT mercator_spread(least(greatest(floor((ST_X(m.p) + 20037508.342789244) / (2 * 20037508.342789244 / 1048576)), 0), 1048575)::bigint)
                         | (mercator_spread(least(greatest(floor((20037508.342789244 - ST_Y(m.p)) / (2 * 20037508.342789244 / 1048576)), 0), 1048575)::bigint) << 1)
                    FROM (SELECT ST_Transform(point, 3857) AS p) m
                $$;
                """);
        }
    }
}
