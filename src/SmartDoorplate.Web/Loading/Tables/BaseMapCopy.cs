using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;

namespace SmartDoorplate.Loading.Tables;

// roads: written by `import roads` alone (the pilot loader goes through the importer too).
public sealed class RoadsCopy() : TableCopy<RoadsCopy.Row>("roads", "code", "name", "kind", "width_metres", "geometry")
{
    public sealed record Row(string Code, string? Name, RoadKind Kind, decimal? WidthMetres, MultiLineString Geometry);

    public override async Task WriteAsync(NpgsqlBinaryImporter writer, Row row, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(row.Code, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteNullableAsync(row.Name, cancellationToken);
        await writer.WriteAsync(SnakeCaseEnum.ToCode(row.Kind), NpgsqlDbType.Text, cancellationToken);
        await writer.WriteNullableAsync(row.WidthMetres, NpgsqlDbType.Numeric, cancellationToken);
        await writer.WriteAsync(row.Geometry, NpgsqlDbType.Geometry, cancellationToken);
    }
}

// landmarks: written by `import landmarks` alone.
public sealed class LandmarksCopy() : TableCopy<LandmarksCopy.Row>("landmarks", "code", "name", "kind", "location")
{
    public sealed record Row(string Code, string Name, LandmarkKind Kind, Point Location);

    public override async Task WriteAsync(NpgsqlBinaryImporter writer, Row row, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(row.Code, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(SnakeCaseEnum.ToCode(row.Kind), NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(row.Location, NpgsqlDbType.Geometry, cancellationToken);
    }
}
