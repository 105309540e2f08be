namespace SmartDoorplate.Map;

// The allow-list of tile layers, by the name the URL gives. Their zooms come from `seed --scale
// city` (scripts/bench/tiles.sh): footprints start at z14, population is counted in cells below
// z15 and cases below z16 (each layer's class says why).
public static class VectorTileLayers
{
    public static readonly BoundariesTileLayer Boundaries = new();
    public static readonly BuildingsTileLayer Buildings = new();
    public static readonly PopulationTileLayer Population = new();
    public static readonly CasesTileLayer Cases = new();
    public static readonly HotspotsTileLayer Hotspots = new();
    public static readonly BaseMapTileLayer BaseMap = new();

    // In the order the map's style lists its sources.
    public static readonly IReadOnlyList<VectorTileLayer> All = [BaseMap, Boundaries, Population, Buildings, Cases, Hotspots];

    // A list of its own, not All's order: the unknown-layer 400 names the layers in this order.
    public static readonly IReadOnlyDictionary<string, VectorTileLayer> ByName = new VectorTileLayer[] { Boundaries, Buildings, Population, Cases, Hotspots, BaseMap }
        .ToDictionary(l => l.Name, StringComparer.Ordinal);
}
