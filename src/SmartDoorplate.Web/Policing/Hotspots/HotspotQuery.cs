using Microsoft.AspNetCore.Mvc;

namespace SmartDoorplate.Policing.Hotspots;

// What both analyses are asked with: the grid of cells, the distance band, the case types, the
// study area (a grid or station code of the caller's jurisdiction), the method, the minimum
// residents for a rate, and whether the cells come back as features. Parsed and checked by
// HotspotAnalysis.ParseOptions; a value the binder cannot read is a 400 naming it (Hosting/BadRequests).
public interface IHotspotOptionsQuery
{
    double? CellSize { get; }
    double? Band { get; }
    string? Types { get; }
    string? Grid { get; }
    string? Station { get; }
    string? Method { get; }
    int? MinResidents { get; }
    bool? Features { get; }
}

// GET /api/hotspots: one period of whole Beijing days, from and to included (yyyy-MM-dd).
public sealed record HotspotQuery(
    [FromQuery(Name = "cellSize")] double? CellSize,
    [FromQuery(Name = "band")] double? Band,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "types")] string? Types,
    [FromQuery(Name = "grid")] string? Grid,
    [FromQuery(Name = "station")] string? Station,
    [FromQuery(Name = "method")] string? Method,
    [FromQuery(Name = "minResidents")] int? MinResidents,
    [FromQuery(Name = "features")] bool? Features) : IHotspotOptionsQuery;

// GET /api/hotspots/change: two windows of `days` either side of `split` (yyyy-MM-dd).
public sealed record HotspotChangeQuery(
    [FromQuery(Name = "split")] string? Split,
    [FromQuery(Name = "days")] int? Days,
    [FromQuery(Name = "cellSize")] double? CellSize,
    [FromQuery(Name = "band")] double? Band,
    [FromQuery(Name = "types")] string? Types,
    [FromQuery(Name = "grid")] string? Grid,
    [FromQuery(Name = "station")] string? Station,
    [FromQuery(Name = "method")] string? Method,
    [FromQuery(Name = "minResidents")] int? MinResidents,
    [FromQuery(Name = "features")] bool? Features) : IHotspotOptionsQuery;
