using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using SmartDoorplate.Audit;
using SmartDoorplate.Data;
using SmartDoorplate.Gis;
using SmartDoorplate.Privacy;
using SmartDoorplate.Registrations;

namespace SmartDoorplate.Map;

// Either a GeoJSON Polygon ({"polygon": {"type":"Polygon","coordinates":[…]}}) or a circle
// ({"center": [lon, lat], "radiusMetres": 300}); a purpose always, because the answer lists people.
public sealed record AreaRequest(JsonElement? Polygon, double[]? Center, double? RadiusMetres, string? Purpose);

public sealed record AreaCounts(int Buildings, int Residents, int Floating);

public sealed record AreaResultDto(string Shape, double AreaKm2, AreaCounts Counts, int Listed, bool Truncated, IReadOnlyList<MaskedResidentDto> Residents);

// Counting and listing happen in PostGIS through EF (SpatialQueries: ST_Intersects for a polygon,
// ST_DWithin on geography behind an index-friendly degree bound for a circle), so the scope query
// filters apply as everywhere else and no geometry of a building is ever loaded into memory.
public static class AreaQuery
{
    public const double MaxRadiusMetres = 2_000;
    public const double MaxAreaKm2 = BoundingBox.MaxAreaKm2;

    public static async Task<Results<Ok<AreaResultDto>, ValidationProblem>> RunAsync(
        AreaRequest request, SmartDoorplateDb db, PersonalDataProtector protector, AuditTrail audit, CancellationToken ct)
    {
        var errors = PersonsApi.PurposeErrors(request.Purpose) ?? [];
        var shape = ParseShape(request, errors);
        if (errors.Count > 0 || shape is null) return TypedResults.ValidationProblem(errors, title: MapText.AreaTitle.ToString());

        var buildings = shape.Buildings(db);
        // Residents and floating are summed from building_counts (kept equal to CurrentResidents by
        // triggers) rather than counted over thousands of registrations of a dense square kilometre.
        var sums = await db.BuildingCounts.Where(c => buildings.Any(b => b.Id == c.BuildingId))
            .GroupBy(c => 1).Select(g => new { Residents = g.Sum(c => c.Residents), Floating = g.Sum(c => c.Floating) })
            .FirstOrDefaultAsync(ct);
        var counts = new AreaCounts(await buildings.CountAsync(ct), sums?.Residents ?? 0, sums?.Floating ?? 0);
        var current = db.Registrations.Where(CurrentResidents.IsCurrent).Where(r => buildings.Any(b => b.Id == r.BuildingId));
        var (listed, total) = await MaskedResidents.ListAsync(current, protector, ct, knownTotal: counts.Residents);

        await MaskedResidents.AuditAsync(audit, request.Purpose!, shape.AuditCriteria(counts), listed, total, ct);
        return TypedResults.Ok(new AreaResultDto(shape.Name, Math.Round(shape.AreaKm2, 4), counts, listed.Count, total > listed.Count, listed));
    }

    private abstract record Shape(string Name, double AreaKm2)
    {
        public abstract IQueryable<Building> Buildings(SmartDoorplateDb db);
        public abstract object AuditCriteria(AreaCounts counts);
    }

    private sealed record PolygonShape(Polygon Area, double Km2) : Shape("polygon", Km2)
    {
        public override IQueryable<Building> Buildings(SmartDoorplateDb db) => db.BuildingsIntersecting(Area);

        // The polygon itself is kept (rounded to about 1 m) so a supervisor can see what was drawn.
        public override object AuditCriteria(AreaCounts counts) => new
        {
            shape = Name, areaKm2 = Math.Round(AreaKm2, 4), counts.Buildings,
            polygon = Area.ExteriorRing.Coordinates.Select(c => new[] { Math.Round(c.X, 5), Math.Round(c.Y, 5) }).ToArray(),
        };
    }

    private sealed record CircleShape(Point Center, double Metres) : Shape("circle", Math.PI * Metres * Metres / 1e6)
    {
        public override IQueryable<Building> Buildings(SmartDoorplateDb db) => db.BuildingFootprintsWithin(Center, Metres);

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
