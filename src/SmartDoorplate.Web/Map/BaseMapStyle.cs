using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SmartDoorplate.Map;

public sealed class BaseMapOptions
{
    public const string Section = "Map:BaseMap";

    // Chinese characters drawn by the browser's own CJK font (every officer's phone and PC has one),
    // the rest from the app's glyphs (MapGlyphs). False: every character from the app's glyphs.
    public bool LocalIdeographs { get; set; } = true;

    public ExternalBaseMapOptions External { get; set; } = new();
}

// A site that has a base map of its own (天地图 with the site's key, a city's tile server) may draw
// it under ours. Off unless Tiles is set; the CSP then allows exactly the origins of these URLs.
public sealed class ExternalBaseMapOptions
{
    // Raster tile URL templates with {z}, {x} and {y} (several for a server's subdomains, or 天地图's
    // map and its annotation layer, drawn in this order), e.g.
    // https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY
    public string[] Tiles { get; set; } = [];

    public int TileSize { get; set; } = 256;

    public int MaxZoom { get; set; } = 18;

    // Shown in the map's corner, as the provider's terms ask: e.g. "© 天地图".
    public string? Attribution { get; set; }

    // 天地图 and most Chinese providers serve GCJ-02 or CGCS2000 tiles; CGCS2000 agrees with WGS84
    // within a metre, GCJ-02 is offset by hundreds: only a CGCS2000/WGS84 base lines up with our data.
    public bool Enabled => Tiles.Length > 0;

    // The origins the page must be allowed to fetch (CSP connect-src and img-src).
    public IEnumerable<string> Origins() => Tiles
        .Select(t => Uri.TryCreate(t.Replace("{", "").Replace("}", ""), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : null)
        .OfType<string>().Distinct(StringComparer.Ordinal);

    public static IEnumerable<string> OriginsIn(IConfiguration configuration) =>
        configuration.GetSection($"{BaseMapOptions.Section}:External").Get<ExternalBaseMapOptions>()?.Origins() ?? [];

    public IEnumerable<string> Problems()
    {
        foreach (var template in Tiles)
        {
            var placeholders = template.Contains("{z}", StringComparison.Ordinal) && template.Contains("{x}", StringComparison.Ordinal)
                && template.Contains("{y}", StringComparison.Ordinal);
            if (!placeholders) yield return $"{BaseMapOptions.Section}:External:Tiles: '{template}' needs {{z}}, {{x}} and {{y}}";
            if (!Uri.TryCreate(template.Replace("{", "").Replace("}", ""), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                yield return $"{BaseMapOptions.Section}:External:Tiles: '{template}' is not an absolute http(s) URL";
        }
        if (TileSize is not (256 or 512)) yield return $"{BaseMapOptions.Section}:External:TileSize must be 256 or 512";
        if (MaxZoom is < 1 or > 22) yield return $"{BaseMapOptions.Section}:External:MaxZoom must be 1–22";
    }
}

// The base map's part of the police map's style (MapStyle): our roads under the data layers, their
// names, grid names, landmarks and doorplate numbers over them, an external base under everything when
// configured. Labels come last so that the data never hides a street's name; among them, landmarks and
// road names are placed before grid names and numbers (MapLibre places the top layer's symbols first).
public static class BaseMapStyle
{
    public const string ExternalLayerId = "external-base";

    // Layer ids, for the page's toggle and the tests.
    public const string RoadLabelLayerId = "basemap-road-labels";
    public const string NumberLayerId = "basemap-numbers";

    public static IServiceCollection AddBaseMap(this IServiceCollection services)
    {
        services.AddOptions<BaseMapOptions>().BindConfiguration(BaseMapOptions.Section)
            .Validate(o => !o.External.Problems().Any(), "Map:BaseMap:External is not valid (see the log)")
            .ValidateOnStart();
        services.AddSingleton<MapGlyphs>();
        return services;
    }

    private static readonly string TextFont = $"[\"{MapGlyphs.FontStack}\"]";

    private static readonly string RoadLines = $$"""
        [
          { "id": "basemap-road-casing", "type": "line", "source": "basemap", "source-layer": "basemap",
            "filter": ["==", ["get", "kind"], "road"], "layout": { "line-cap": "round", "line-join": "round" },
            "paint": { "line-color": ["match", ["get", "class"], "main", "#d9a441", "#aab2bc"],
              "line-width": ["interpolate", ["exponential", 1.6], ["zoom"],
                12, ["match", ["get", "class"], "main", 2.5, "lane", 0, 1.5],
                15, ["match", ["get", "class"], "main", 8, "branch", 6, 2.5],
                18, ["match", ["get", "class"], "main", 26, "branch", 20, 9]] } },
          { "id": "basemap-roads", "type": "line", "source": "basemap", "source-layer": "basemap",
            "filter": ["==", ["get", "kind"], "road"], "layout": { "line-cap": "round", "line-join": "round" },
            "paint": { "line-color": ["match", ["get", "class"], "main", "#fde6a8", "#ffffff"],
              "line-width": ["interpolate", ["exponential", 1.6], ["zoom"],
                12, ["match", ["get", "class"], "main", 1.5, "lane", 0, 0.8],
                15, ["match", ["get", "class"], "main", 6, "branch", 4.5, 1.5],
                18, ["match", ["get", "class"], "main", 23, "branch", 17, 7]] } }
        ]
        """;

    private static readonly string Labels = $$"""
        [
          { "id": "{{NumberLayerId}}", "type": "symbol", "source": "basemap", "source-layer": "basemap", "minzoom": {{BaseMapTileLayer.NumbersFromZoom}},
            "filter": ["==", ["get", "kind"], "number"],
            "layout": { "text-field": ["get", "name"], "text-font": {{TextFont}}, "text-size": ["interpolate", ["linear"], ["zoom"], 17, 10, 19, 13],
              "text-padding": 1 },
            "paint": { "text-color": "#4a5563", "text-halo-color": "rgba(255,255,255,0.9)", "text-halo-width": 1.2 } },
          { "id": "basemap-grid-labels", "type": "symbol", "source": "basemap", "source-layer": "basemap",
            "minzoom": {{BaseMapTileLayer.LabelsFromZoom}}, "maxzoom": 17.5,
            "filter": ["==", ["get", "kind"], "grid"],
            "layout": { "text-field": ["get", "name"], "text-font": {{TextFont}}, "text-size": ["interpolate", ["linear"], ["zoom"], 13, 11, 16, 14],
              "text-max-width": 6, "text-padding": 4 },
            "paint": { "text-color": "#52708f", "text-halo-color": "rgba(255,255,255,0.95)", "text-halo-width": 1.5 } },
          { "id": "{{RoadLabelLayerId}}", "type": "symbol", "source": "basemap", "source-layer": "basemap",
            "filter": ["all", ["==", ["get", "kind"], "road"], ["has", "name"],
              ["any", ["!=", ["get", "class"], "lane"], [">=", ["zoom"], 16]]],
            "layout": { "symbol-placement": "line", "text-field": ["get", "name"], "text-font": {{TextFont}},
              "text-size": ["interpolate", ["linear"], ["zoom"], 12, ["match", ["get", "class"], "lane", 10, 11], 17, ["match", ["get", "class"], "lane", 12, 15]],
              "text-max-angle": 35, "symbol-spacing": 280, "text-padding": 2, "text-rotation-alignment": "map", "text-pitch-alignment": "viewport" },
            "paint": { "text-color": "#2b2f36", "text-halo-color": "#ffffff", "text-halo-width": 1.6 } },
          { "id": "basemap-landmark-points", "type": "circle", "source": "basemap", "source-layer": "basemap",
            "filter": ["==", ["get", "kind"], "landmark"],
            "paint": { "circle-radius": ["match", ["get", "class"], "police_station", 9, 5],
              "circle-color": ["match", ["get", "class"], "police_station", "#0b5cab", "village_committee", "#8c6d1f", "market", "#d9822b", "bus_stop", "#2c8c5a", "#6b7785"],
              "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5 } },
          { "id": "basemap-station-marks", "type": "symbol", "source": "basemap", "source-layer": "basemap",
            "filter": ["all", ["==", ["get", "kind"], "landmark"], ["==", ["get", "class"], "police_station"]],
            "layout": { "text-field": "警", "text-font": {{TextFont}}, "text-size": 11, "text-allow-overlap": true, "text-ignore-placement": true },
            "paint": { "text-color": "#ffffff" } },
          { "id": "basemap-landmark-labels", "type": "symbol", "source": "basemap", "source-layer": "basemap",
            "filter": ["==", ["get", "kind"], "landmark"],
            "layout": { "text-field": ["get", "name"], "text-font": {{TextFont}}, "text-size": ["match", ["get", "class"], "police_station", 13, 12],
              "text-anchor": "left", "text-offset": [0.9, 0], "text-max-width": 9, "text-optional": true },
            "paint": { "text-color": ["match", ["get", "class"], "police_station", "#0b3f7a", "#3d4450"],
              "text-halo-color": "#ffffff", "text-halo-width": 1.6 } }
        ]
        """;

    // The layers of the page's 底图 toggle.
    public static readonly string ToggledLayers = string.Join(",",
        "basemap-road-casing", "basemap-roads", NumberLayerId, "basemap-grid-labels", RoadLabelLayerId,
        "basemap-landmark-points", "basemap-station-marks", "basemap-landmark-labels");

    // Road lines go right above the grids' fill (and the external base), labels on top of everything.
    public static void AddTo(JsonObject style, JsonArray layers, string baseUrl, BaseMapOptions options)
    {
        style["glyphs"] = baseUrl + MapGlyphs.UrlTemplate;
        var gridFill = layers.Select((layer, index) => (layer, index)).First(l => (string?)l.layer!["id"] == "grid-fill").index;
        var lines = JsonNode.Parse(RoadLines)!.AsArray();
        foreach (var line in lines.ToList())
        {
            lines.Remove(line);
            layers.Insert(++gridFill, line);
        }
        var labels = JsonNode.Parse(Labels)!.AsArray();
        foreach (var label in labels.ToList())
        {
            labels.Remove(label);
            layers.Add(label);
        }

        var metadata = style["metadata"]!.AsObject();
        metadata["smartdoorplate:localIdeographs"] = options.LocalIdeographs;
        metadata["smartdoorplate:roadLabelLayer"] = RoadLabelLayerId;
        metadata["smartdoorplate:numberLayer"] = NumberLayerId;

        var external = options.External;
        if (!external.Enabled) return;
        var sources = style["sources"]!.AsObject();
        for (var i = 0; i < external.Tiles.Length; i++)
        {
            var id = i == 0 ? ExternalLayerId : $"{ExternalLayerId}-{i}";
            var source = new JsonObject
            {
                ["type"] = "raster",
                ["tiles"] = new JsonArray(external.Tiles[i]),
                ["tileSize"] = external.TileSize,
                ["maxzoom"] = external.MaxZoom,
            };
            if (i == 0 && external.Attribution is { } attribution) source["attribution"] = attribution;
            sources[id] = source;
            layers.Insert(1 + i, new JsonObject { ["id"] = id, ["type"] = "raster", ["source"] = id });
        }
        metadata["smartdoorplate:externalLayers"] = new JsonArray([.. Enumerable.Range(0, external.Tiles.Length)
            .Select(i => (JsonNode)JsonValue.Create(i == 0 ? ExternalLayerId : $"{ExternalLayerId}-{i}")!)]);
    }
}
