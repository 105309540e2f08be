using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Accounts;
using SmartDoorplate.Analytics.Geodesy;
using SmartDoorplate.Data;
using SmartDoorplate.Policing.Cases;

namespace SmartDoorplate.Map;

// One parameterised statement per tile: PostGIS clips, encodes and aggregates the features, and the
// app only passes the bytes on. Scope is bound as parameters of the same statement (ScopeSql).
public static class VectorTiles
{
    public const string ContentType = "application/vnd.mapbox-vector-tile";

    public static async Task<byte[]> RenderAsync(NpgsqlDataSource dataSource, VectorTileLayer layer, TileAddress tile,
        CallerScope scope, CaseFilter cases, CancellationToken cancellationToken, long hotspotRun = 0)
    {
        if (!layer.Available || tile.Z < layer.MinZoom) return [];
        await using var command = CreateCommand(dataSource, layer, tile, scope, cases, hotspotRun);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[] ?? [];
    }

    // Also used by the tests to EXPLAIN the exact statement the endpoint runs.
    public static NpgsqlCommand CreateCommand(NpgsqlDataSource dataSource, VectorTileLayer layer, TileAddress tile, CallerScope scope, CaseFilter cases,
        long hotspotRun = 0)
    {
        var command = dataSource.CreateCommand(layer.SqlFor(tile));
        command.Parameters.Add(new NpgsqlParameter("z", NpgsqlDbType.Integer) { Value = tile.Z });
        command.Parameters.Add(new NpgsqlParameter("x", NpgsqlDbType.Integer) { Value = tile.X });
        command.Parameters.Add(new NpgsqlParameter("y", NpgsqlDbType.Integer) { Value = tile.Y });
        ScopeSql.AddParameters(command.Parameters, scope);
        if (VectorTileLayers.UsesCells(layer, tile))
        {
            command.Parameters.Add(new NpgsqlParameter("cell", NpgsqlDbType.Double) { Value = VectorTileLayers.CellMetres(tile) });
            var (from, to) = MercatorCells.KeyRange(tile.Z, tile.X, tile.Y);
            command.Parameters.Add(new NpgsqlParameter("cell_from", NpgsqlDbType.Bigint) { Value = from });
            command.Parameters.Add(new NpgsqlParameter("cell_to", NpgsqlDbType.Bigint) { Value = to });
            command.Parameters.Add(new NpgsqlParameter("cell_shift", NpgsqlDbType.Integer)
            {
                Value = MercatorCells.ShiftTo(tile.Z + VectorTileLayers.CellLevelsBelowTile),
            });
        }
        if (layer == VectorTileLayers.Cases)
        {
            command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = cases.From.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = cases.ToExclusive.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = cases.Types });
        }
        if (layer == VectorTileLayers.Hotspots)
        {
            command.Parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Bigint) { Value = hotspotRun });
        }
        return command;
    }
}

// A tile's bytes and their ETag (none for an empty tile, which is answered 204).
public sealed record RenderedTile(byte[] Bytes, string? ETag)
{
    public static RenderedTile Of(byte[] bytes) =>
        new(bytes, bytes.Length == 0 ? null : $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes), 0, 16)}\"");
}
