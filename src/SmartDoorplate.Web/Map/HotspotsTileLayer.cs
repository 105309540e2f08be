using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Policing.Hotspots;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Map;

// Gi* cells of one stored run (HotspotRuns): the statistic needs the whole study area, so
// /api/hotspots computes it once and tiles only cut the stored cells. ?run=ID draws that run;
// without it, the caller's latest.
public sealed class HotspotsTileLayer : VectorTileLayer
{
    private readonly string sql;

    public HotspotsTileLayer() : base("hotspots", minZoom: 10, sourceMaxZoom: 16)
    {
        // The cells of run @run, if the caller may read the run (its station or district, Data/ScopeSql).
        // `count` is the difference after − before in a change run, which also carries both counts.
        sql = Wrap($"""
            select c.cell, c.class, c.bin, c.z, c.p, c.count, c.residents, c.rate, c.before, c.after,
                   {MvtGeom("ST_Transform(c.geometry, 3857)")} as geom
            from tile join hotspot_cells c on c.geometry && tile.bounds_with_margin
            join hotspot_runs r on r.id = c.run_id
            where c.run_id = @run and {ScopeSql.Predicate("r.station_id", "r.district_id")}
            """, "features.cell");
    }

    public override string SqlFor(TileAddress tile) => sql;

    public override TileParameters ParseParameters(TileQuery query, Dictionary<string, string[]> errors)
    {
        if (query.Run is null) return TileParameters.None;
        if (long.TryParse(query.Run, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) return TileParameters.None with { Run = id };
        errors["run"] = [HotspotsApi.RunInvalid.ToString()];
        return TileParameters.None;
    }

    // Another station's run is not found, like anything out of scope; with no run at all the tile is empty.
    public override async Task<RenderedTile?> RenderAsync(TileRequest request, CancellationToken cancellationToken)
    {
        var asked = request.Parameters.Run;
        var visible = await HotspotRuns.VisibleAsync(request.DataSource, request.Scope, asked, cancellationToken);
        if (visible is null && asked is not null) return null;
        return RenderedTile.Of(visible is null
            ? []
            : await RenderBytesAsync(request.DataSource, request.Tile, request.Scope, request.Parameters with { Run = visible.Id }, cancellationToken));
    }

    public override Bilingual NotFoundTitle => MapText.RunNotFound;

    protected override void AddParameters(NpgsqlParameterCollection parameters, TileAddress tile, TileParameters layerParameters) =>
        parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Bigint) { Value = layerParameters.Run ?? 0 });
}
