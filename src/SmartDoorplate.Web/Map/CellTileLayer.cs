using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Analytics.Geodesy;

namespace SmartDoorplate.Map;

// A layer drawn as square cells with counts below PointsFromZoom and as points from it on.
//
// Square cells of @cell metres in Web Mercator: the Mercator tiles of zoom z + 4, 16 × 16 to a tile,
// so a cell never straddles two tiles. A cell is read by its key (Analytics/Geodesy/MercatorCells):
// the stored MercatorCells.KeyLevel (zoom-20) keys of the tile's points lie in [@cell_from, @cell_to), and a point's cell is
// its key >> @cell_shift. Points are taken from the tile itself (no margin): a cell in the buffer
// would otherwise be drawn with a partial count. x counts east from the left edge, y south from
// the top, as tiles do.
public abstract class CellTileLayer(string name, int minZoom, int sourceMaxZoom, int pointsFromZoom)
    : VectorTileLayer(name, minZoom, sourceMaxZoom)
{
    // Cells per tile side, 2^CellLevelsBelowTile: a tile's cells are the tiles 4 zooms further in.
    // They must not pass the stored keys' level (MercatorCells.KeyLevel): 15 + 4 ≤ 20.
    public const int CellLevelsBelowTile = 4;

    public int PointsFromZoom { get; } = pointsFromZoom;

    public bool UsesCells(TileAddress tile) => tile.Z < PointsFromZoom;

    public static double CellMetres(TileAddress tile) => MercatorCells.CellMetres(tile.Z + CellLevelsBelowTile);

    public sealed override string SqlFor(TileAddress tile) => UsesCells(tile) ? CellsSql : PointsSql;

    protected abstract string CellsSql { get; }
    protected abstract string PointsSql { get; }

    protected override void AddParameters(NpgsqlParameterCollection parameters, TileAddress tile, TileParameters layerParameters)
    {
        if (!UsesCells(tile)) return;
        parameters.Add(new NpgsqlParameter("cell", NpgsqlDbType.Double) { Value = CellMetres(tile) });
        var (from, to) = MercatorCells.KeyRange(tile.Z, tile.X, tile.Y);
        parameters.Add(new NpgsqlParameter("cell_from", NpgsqlDbType.Bigint) { Value = from });
        parameters.Add(new NpgsqlParameter("cell_to", NpgsqlDbType.Bigint) { Value = to });
        parameters.Add(new NpgsqlParameter("cell_shift", NpgsqlDbType.Integer) { Value = MercatorCells.ShiftTo(tile.Z + CellLevelsBelowTile) });
    }

    // Invariant text of the constant: interpolating the double would follow the current culture.
    private static readonly string HalfWidth = MercatorCells.HalfWidthMetres.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    protected static string CellPolygon => $"ST_MakeEnvelope(cells.x * @cell - {HalfWidth}, {HalfWidth} - (cells.y + 1) * @cell, (cells.x + 1) * @cell - {HalfWidth}, {HalfWidth} - cells.y * @cell, 3857)";

    protected static string CellCentre => $"ST_SetSRID(ST_MakePoint((cells.x + 0.5) * @cell - {HalfWidth}, {HalfWidth} - (cells.y + 0.5) * @cell), 3857)";

    protected static string CellsOf(string groupedByCell) => $"""
        (select mercator_cell_x(grouped.cell) as x, mercator_cell_y(grouped.cell) as y, grouped.*
         from ({groupedByCell}) grouped) cells
        """;
}
