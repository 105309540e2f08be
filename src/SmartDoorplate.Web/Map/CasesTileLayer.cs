using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Map;

// Cases, filtered by ?from, ?to and ?types (CaseFilter): counted in cells below z16, points from it
// on. Five years of city cases put 4,000–60,000 points (0.1–2.4 MB) in a z15 tile, far more than a
// phone can draw or an officer read; a cell of 76 m says the same.
public sealed class CasesTileLayer : CellTileLayer
{
    private const string CaseFilterSql = """
        c.occurred_at >= @from and c.occurred_at < @to
          and (cardinality(@types) = 0 or c.type = any(@types))
        """;

    public CasesTileLayer() : base("cases", minZoom: 12, sourceMaxZoom: 16, pointsFromZoom: 16)
    {
        // Times are written in Guiyang's offset, as officers read them.
        PointsSql = Wrap($"""
            select 'case' as kind, c.id, c.case_number as "caseNumber", c.type, c.status,
                   to_char(c.occurred_at at time zone '{ChinaTime.SqlTimeZone}', 'YYYY-MM-DD"T"HH24:MI:SS"{ChinaTime.OffsetText}"') as "occurredAt",
                   {MvtGeom("ST_Transform(c.location, 3857)")} as geom
            from tile join cases c on c.location && tile.bounds_with_margin
            where {CaseFilterSql}
              and {ScopeSql.GridInScope("c.grid_id")}
            """, "features.id");

        // A point at each cell's centre with its count, drawn as a circle sized by it; the cases come from
        // the covering index on cases.location_cell.
        CellsSql = Wrap($"""
            select 'cell' as kind, cells.count, cells.open, {MvtGeom(CellCentre)} as geom
            from tile, {CellsOf($"""
                select c.location_cell >> @cell_shift as cell, count(*) as count, count(*) filter (where c.status = 'open') as open
                from cases c
                where c.location_cell >= @cell_from and c.location_cell < @cell_to
                  and {CaseFilterSql}
                  and {ScopeSql.GridInScope("c.grid_id")}
                group by 1
                """)}
            """, "features.geom");
    }

    protected override string CellsSql { get; }
    protected override string PointsSql { get; }

    public override TileParameters ParseParameters(TileQuery query, Dictionary<string, string[]> errors) =>
        CaseFilter.Parse(query.From, query.To, query.Types, errors) is { } cases ? TileParameters.None with { Cases = cases } : TileParameters.None;

    protected override void AddParameters(NpgsqlParameterCollection parameters, TileAddress tile, TileParameters layerParameters)
    {
        base.AddParameters(parameters, tile, layerParameters);
        var cases = layerParameters.Cases;
        parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = cases.From.ToUniversalTime() });
        parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = cases.ToExclusive.ToUniversalTime() });
        parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = cases.Types });
    }
}
