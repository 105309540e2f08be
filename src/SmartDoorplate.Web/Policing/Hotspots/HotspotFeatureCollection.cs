using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SmartDoorplate.Policing.Hotspots;

// What the hot-spot endpoints answer: GeoJSON FeatureCollections of a stored run's cells, each with
// the run (id, kind, when, whether reused) and every parameter it was computed with. `parameters`
// is the run's stored document as it was written (its fields differ between kinds), so it stays JSON.
public sealed record HotspotFeatureCollection<TProperties>(HotspotRunDto Run, JsonObject Parameters, IReadOnlyList<HotspotFeature<TProperties>> Features)
{
    [JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

// The change between two windows: the change run's cells, and the two counts runs either side.
public sealed record HotspotChangeCollection(
    HotspotRunDto Run, JsonObject Parameters, HotspotChangeSummary Summary, HotspotRunParameters Before, HotspotRunParameters After,
    IReadOnlyList<HotspotFeature<HotspotChangeCellProperties>> Features)
{
    [JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

// Change is a fraction: −0.3 is 30% fewer cases after the split; null when there were none before.
public sealed record HotspotChangeSummary(int EventsBefore, int EventsAfter, double? Change);

public sealed record HotspotRunParameters(HotspotRunDto Run, JsonObject Parameters);

public sealed record HotspotRunDto(long Id, string Kind, DateTimeOffset CreatedAt, bool Reused);

// Geometry: the cell's polygon in lon/lat as PostGIS writes it (7 decimals).
public sealed record HotspotFeature<TProperties>(JsonElement Geometry, TProperties Properties)
{
    [JsonPropertyOrder(-1)]
    public string Type => "Feature";
}

// X and Y: the cell centre in UTM 48N metres. Rate: cases per 1,000 residents, null where fewer
// live there than the minimum. Z and P: Gi*, null where undefined. Bin: −3…3, the class's confidence.
public sealed record HotspotCellProperties(double X, double Y, double Count, double Residents, double? Rate, double? Z, double? P, string Class, int Bin);

// Count is the difference after − before; PercentChange is null where there were none before.
public sealed record HotspotChangeCellProperties(
    double X, double Y, double Count, double Residents, double? Rate, double? Z, double? P, string Class, int Bin,
    double Before, double After, double Difference, double? PercentChange);

public sealed record HotspotBuildings(HotspotRunDto Run, bool Truncated, IReadOnlyList<HotspotBuilding> Buildings);

public sealed record HotspotBuilding(long Id, string Code, string Address, string Class, double Count, double Lon, double Lat);
