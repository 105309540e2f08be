using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using SmartDoorplate.Accounts;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Hosting;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

// Either a GeoJSON Polygon ({"polygon": {"type":"Polygon","coordinates":[…]}}) or a circle
// ({"center": [lon, lat], "radiusMetres": 300}); a purpose always, because the answer lists people.
public sealed record AreaRequest(JsonElement? Polygon, double[]? Center, double? RadiusMetres, string? Purpose);

public sealed record AreaCounts(int Buildings, int Residents, int Floating);

public sealed record AreaResultDto(string Shape, double AreaKm2, AreaCounts Counts, int Listed, bool Truncated, IReadOnlyList<MaskedResidentDto> Residents);

// A polygon or a circle drawn on the map: its buildings and residents counted, the residents listed
// masked, the search audited. Counting and listing are one statement (MapSql).
public static class AreaQuery
{
    public const double MaxRadiusMetres = 2_000;
    public const double MaxAreaKm2 = BoundingBox.MaxAreaKm2;

    public static async Task<Results<Ok<AreaResultDto>, ValidationProblem>> RunAsync(
        AreaRequest request, [FromKeyedServices(DataServices.SpatialReads)] NpgsqlDataSource dataSource, CallerScope scope, MaskedResidents residents, CancellationToken ct)
    {
        var errors = LookUpPurpose.Errors(request.Purpose) ?? [];
        var shape = ParseShape(request, errors);
        if (errors.Count > 0 || shape is null) return ValidationProblems.For(errors, title: MapText.AreaTitle);

        var (counts, listed) = await ReadAsync(dataSource, shape, scope, residents, ct);
        await residents.AuditAsync(request.Purpose!, shape.AuditCriteria(counts), listed, counts.Residents, ct);
        return TypedResults.Ok(new AreaResultDto(shape.Name, Math.Round(shape.AreaKm2, 4), counts, listed.Count, counts.Residents > listed.Count, listed));
    }

    // The reader hands its pooled connection back when disposed, once: before the audit's own.
    private static async Task<(AreaCounts Counts, List<MaskedResidentDto> Listed)> ReadAsync(
        NpgsqlDataSource dataSource, Shape shape, CallerScope scope, MaskedResidents residents, CancellationToken ct)
    {
        await using var command = CreateCommand(dataSource, shape, scope);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new AreaCounts(0, 0, 0);
        var listed = new List<MaskedResidentDto>();
        while (await reader.ReadAsync(ct))
        {
            counts = new AreaCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
            if (reader.IsDBNull(3)) continue;
            listed.Add(residents.Mask(
                reader.GetGuid(3), reader.GetString(4), reader.GetFieldValue<byte[]>(5), reader.GetString(6), reader.GetString(7),
                reader.GetInt64(8), reader.GetString(9), reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.GetString(12), reader.GetFieldValue<DateOnly>(13)));
        }
        return (counts, listed);
    }

    private static NpgsqlCommand CreateCommand(NpgsqlDataSource dataSource, Shape shape, CallerScope scope) => shape switch
    {
        PolygonShape polygon => MapSql.InPolygon(dataSource, polygon.Area, scope),
        CircleShape circle => MapSql.InCircle(dataSource, circle.Center, circle.Metres, scope),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown shape"),
    };

    // The exact statement the endpoint runs for a valid request: the tests EXPLAIN it, `sdp area sql`
    // writes it out for scripts/bench/area.sh.
    public static NpgsqlCommand CreateCommand(NpgsqlDataSource dataSource, AreaRequest request, CallerScope scope) =>
        CreateCommand(dataSource, ParseShape(request, []) ?? throw new ArgumentException("not an area", nameof(request)), scope);

    private abstract record Shape(string Name, double AreaKm2)
    {
        public abstract object AuditCriteria(AreaCounts counts);
    }

    private sealed record PolygonShape(Polygon Area, double Km2) : Shape("polygon", Km2)
    {
        // The polygon itself is kept (rounded to about 1 m) so a supervisor can see what was drawn.
        public override object AuditCriteria(AreaCounts counts) => new
        {
            shape = Name, areaKm2 = Math.Round(AreaKm2, 4), counts.Buildings,
            polygon = Area.ExteriorRing.Coordinates.Select(c => new[] { Math.Round(c.X, 5), Math.Round(c.Y, 5) }).ToArray(),
        };
    }

    private sealed record CircleShape(Point Center, double Metres) : Shape("circle", Math.PI * Metres * Metres / 1e6)
    {
        public override object AuditCriteria(AreaCounts counts) => new
        {
            shape = Name, center = new[] { Math.Round(Center.X, 5), Math.Round(Center.Y, 5) }, radiusMetres = Metres, counts.Buildings,
        };
    }

    private static Shape? ParseShape(AreaRequest request, Dictionary<string, string[]> errors)
    {
        var hasPolygon = request.Polygon is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        var hasCircle = request.Center is not null || request.RadiusMetres is not null;
        if (hasPolygon == hasCircle)
        {
            errors["polygon"] = [MapText.AreaShape.ToString()];
            return null;
        }
        if (hasPolygon) return ParsePolygon(request.Polygon!.Value, errors);

        if (request.Center is not [var lon, var lat] || !double.IsFinite(lon) || !double.IsFinite(lat) || lon is < -180 or > 180 || lat is < -90 or > 90)
        {
            errors["center"] = [MapText.AreaShape.ToString()];
            return null;
        }
        if (request.RadiusMetres is not { } metres || !double.IsFinite(metres) || metres is < 1 or > MaxRadiusMetres)
        {
            errors["radiusMetres"] = [MapText.RadiusRange.Format(MaxRadiusMetres).ToString()];
            return null;
        }
        return new CircleShape(Geo.Point(lon, lat), metres);
    }

    // A hand-rolled reader for one geometry type keeps the messages specific ("ring not closed")
    // where a general GeoJSON deserialiser would only say it could not read the body.
    private static PolygonShape? ParsePolygon(JsonElement json, Dictionary<string, string[]> errors)
    {
        PolygonShape? Problem(string zh, string en)
        {
            errors["polygon"] = [new Localization.Bilingual(MapText.PolygonInvalid.Zh + zh, MapText.PolygonInvalid.En + en).ToString()];
            return null;
        }

        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Polygon")
            return Problem("type 须为 Polygon", "type must be Polygon");
        if (!json.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array || coordinates.GetArrayLength() == 0)
            return Problem("缺少 coordinates", "coordinates are missing");

        var rings = new List<LinearRing>();
        foreach (var ringJson in coordinates.EnumerateArray())
        {
            if (ringJson.ValueKind != JsonValueKind.Array || ringJson.GetArrayLength() is < 4 or > 1000)
                return Problem("每个环须有 4–1000 个坐标", "each ring needs 4–1000 positions");
            var positions = new List<Coordinate>();
            foreach (var position in ringJson.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                    || !position[0].TryGetDouble(out var lon) || !position[1].TryGetDouble(out var lat)
                    || lon is < -180 or > 180 || lat is < -90 or > 90)
                    return Problem("坐标须为 [经度, 纬度]", "positions are [longitude, latitude]");
                positions.Add(new Coordinate(lon, lat));
            }
            if (!positions[0].Equals2D(positions[^1]))
                return Problem("环未闭合", "a ring is not closed");
            rings.Add(Geo.Factory.CreateLinearRing([.. positions]));
        }

        var polygon = Geo.Factory.CreatePolygon(rings[0], [.. rings.Skip(1)]);
        var validity = new IsValidOp(polygon);
        if (!validity.IsValid)
            return Problem(validity.ValidationError.Message, validity.ValidationError.Message);
        var envelope = polygon.EnvelopeInternal;
        var box = new BoundingBox(envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY);
        // The polygon's share of its box, in the box's km²: accurate enough for a limit.
        var km2 = box.AreaKm2 * (polygon.Area / (envelope.Width * envelope.Height));
        if (km2 > MaxAreaKm2)
        {
            errors["polygon"] = [MapText.AreaTooLarge.Format(km2, MaxAreaKm2).ToString()];
            return null;
        }
        return new PolygonShape(polygon, km2);
    }
}
