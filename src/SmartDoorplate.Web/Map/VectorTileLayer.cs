using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Map;

// The query string of a tile request, as the endpoint receives it; each layer reads what it needs.
public sealed record TileQuery(string? From, string? To, string? Types, string? Run)
{
    public static readonly TileQuery None = new(null, null, null, null);
}

// What a layer binds beside the tile and the scope: the case filter of the cases layer and the
// stored run of the hotspots layer (asked for in RenderAsync, null for the caller's latest; bound as
// given in CreateCommand). Other layers ignore both.
public sealed record TileParameters(CaseFilter Cases, long? Run)
{
    public static readonly TileParameters None = new(CaseFilter.All, null);
}

// Everything a layer may need to answer one tile request. Services: the layers are static, built
// before DI, so one that needs an app service (the boundaries layer's BoundaryTileCache) takes it here.
public sealed record TileRequest(NpgsqlDataSource DataSource, TileAddress Tile, CallerScope Scope, TileParameters Parameters, IServiceProvider Services);

// One layer of the police map's vector tiles: its name (the URL's and the one ST_AsMVT writes into
// the tile), its zooms, its own query parameters and its SQL. A layer name from the URL only selects
// one of VectorTileLayers; the SQL text comes from the layer classes alone. Below MinZoom a tile is
// empty (204) without asking PostgreSQL.
//
// One parameterised statement per tile: PostGIS clips, encodes and aggregates the features, and the
// app only passes the bytes on. Scope is bound as parameters of the same statement (ScopeSql).
public abstract class VectorTileLayer(string name, int minZoom, int sourceMaxZoom)
{
    public const int Extent = 4096;
    public const int Buffer = 64;

    public string Name { get; } = name;
    public int MinZoom { get; } = minZoom;

    // The zoom up to which MapLibre asks for tiles; beyond it, it overzooms the last ones.
    public int SourceMaxZoom { get; } = sourceMaxZoom;

    // The layer's own query parameters. A fault goes into `errors` by field (a 400 names them), never
    // a null result: the endpoint answers 400 whenever `errors` is not empty.
    public virtual TileParameters ParseParameters(TileQuery query, Dictionary<string, string[]> errors) => TileParameters.None;

    // The tile, or null when the layer's parameters name something the caller may not read (404, NotFoundTitle).
    public virtual async Task<RenderedTile?> RenderAsync(TileRequest request, CancellationToken cancellationToken) =>
        RenderedTile.Of(await RenderBytesAsync(request.DataSource, request.Tile, request.Scope, request.Parameters, cancellationToken));

    public virtual Bilingual NotFoundTitle => MapText.TileTitle;

    public async Task<byte[]> RenderBytesAsync(NpgsqlDataSource dataSource, TileAddress tile, CallerScope scope, TileParameters parameters,
        CancellationToken cancellationToken)
    {
        if (tile.Z < MinZoom) return [];
        await using var command = CreateCommand(dataSource, tile, scope, parameters);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[] ?? [];
    }

    // The exact statement of a tile: the endpoint runs it, the tests EXPLAIN it, `sdp tiles sql` writes it out.
    public NpgsqlCommand CreateCommand(NpgsqlDataSource dataSource, TileAddress tile, CallerScope scope, TileParameters parameters)
    {
        var command = dataSource.CreateCommand(SqlFor(tile));
        command.Parameters.Add(new NpgsqlParameter("z", NpgsqlDbType.Integer) { Value = tile.Z });
        command.Parameters.Add(new NpgsqlParameter("x", NpgsqlDbType.Integer) { Value = tile.X });
        command.Parameters.Add(new NpgsqlParameter("y", NpgsqlDbType.Integer) { Value = tile.Y });
        ScopeSql.AddParameters(command.Parameters, scope);
        AddParameters(command.Parameters, tile, parameters);
        return command;
    }

    public abstract string SqlFor(TileAddress tile);

    protected virtual void AddParameters(NpgsqlParameterCollection parameters, TileAddress tile, TileParameters layerParameters)
    {
    }

    // Every layer reads the same tile row: the envelope in 3857 for ST_AsMVTGeom, and in 4326 for
    // the && filters that the GiST indexes on the 4326 columns serve (a Mercator tile is a lon/lat
    // rectangle, so the transformed envelope is exact). The margin version catches footprints and
    // points in the tile's buffer, so edges and circles are not cut at tile borders.
    private static readonly string TileCte = $"""
        with tile as (
            select ST_TileEnvelope(@z, @x, @y) as env,
                   ST_Transform(ST_TileEnvelope(@z, @x, @y), 4326) as bounds,
                   ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => {Buffer}.0 / {Extent}), 4326) as bounds_with_margin
        )
        """;

    protected static string MvtGeom(string geometry) => $"ST_AsMVTGeom({geometry}, tile.env, {Extent}, {Buffer}, true)";

    // Features go into the tile in a fixed order: a parallel scan returns rows in any order, which
    // would give the same tile different bytes (and ETags) from one request to the next.
    // `offset 0` keeps the geom test out of the features query: pushed down, it clipped every
    // geometry twice (once to test it, once to keep it), a third of a dense buildings tile's time.
    protected string Wrap(string features, string orderBy) => $"""
        {TileCte}
        select ST_AsMVT(features, '{Name}', {Extent}, 'geom' order by {orderBy})
        from ({features}
              offset 0) features
        where features.geom is not null
        """;
}
