using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using SmartDoorplate.Accounts;
using SmartDoorplate.Data;
using SmartDoorplate.Policing.Cases;

namespace SmartDoorplate.Map;

// The MapLibre style of the police map. The stations are offline, so the base map is our own
// (BaseMapStyle: roads, their names, grid names, landmarks, doorplate numbers, glyphs served by the
// app), with a site's external base map under it when configured. The page toggles layers by the
// ids below and reloads the cases source with its filter.
public static class MapStyle
{
    private const string Layers = """
        [
          { "id": "background", "type": "background", "paint": { "background-color": "#eef1f4" } },
          { "id": "grid-fill", "type": "fill", "source": "boundaries", "source-layer": "boundaries",
            "filter": ["==", ["get", "kind"], "grid"], "paint": { "fill-color": "#f4f1ea", "fill-opacity": 0.85 } },
          { "id": "grid-line", "type": "line", "source": "boundaries", "source-layer": "boundaries",
            "filter": ["==", ["get", "kind"], "grid"], "paint": { "line-color": "#8aa1b8", "line-width": 1, "line-dasharray": [3, 2] } },
          { "id": "station-line", "type": "line", "source": "boundaries", "source-layer": "boundaries",
            "filter": ["==", ["get", "kind"], "station"], "paint": { "line-color": "#0b5cab", "line-width": 2.5 } },
          { "id": "district-line", "type": "line", "source": "boundaries", "source-layer": "boundaries",
            "filter": ["==", ["get", "kind"], "district"], "paint": { "line-color": "#5b6b7c", "line-width": 3.5 } },
          { "id": "population-cells", "type": "fill", "source": "population", "source-layer": "population",
            "filter": ["==", ["get", "kind"], "cell"], "layout": { "visibility": "none" },
            "paint": { "fill-opacity": 0.55, "fill-color": ["interpolate", ["linear"], ["get", "residents"],
              1, "#fee8c8", 20, "#fdbb84", 100, "#e34a33", 400, "#7f0000"] } },
          { "id": "hotspot-cells", "type": "fill", "source": "hotspots", "source-layer": "hotspots",
            "filter": ["!=", ["get", "class"], "not_significant"], "layout": { "visibility": "none" },
            "paint": { "fill-opacity": 0.55, "fill-outline-color": "rgba(0,0,0,0.15)", "fill-color": ["match", ["get", "class"],
              "hot_99", "#b2182b", "hot_95", "#ef8a62", "hot_90", "#fddbc7", "cold_90", "#d1e5f0", "cold_95", "#67a9cf", "cold_99", "#2166ac",
              "#cccccc"] } },
          { "id": "buildings-fill", "type": "fill", "source": "buildings", "source-layer": "buildings",
            "paint": { "fill-color": ["step", ["get", "residents"], "#c9d3de", 1, "#9ecae1", 6, "#4292c6", 16, "#08519c"],
                       "fill-opacity": 0.85 } },
          { "id": "buildings-pending", "type": "line", "source": "buildings", "source-layer": "buildings",
            "filter": [">", ["get", "pending"], 0],
            "paint": { "line-color": "#e6550d", "line-width": ["interpolate", ["linear"], ["zoom"], 13, 0.5, 17, 2] } },
          { "id": "buildings-unvisited", "type": "line", "source": "buildings", "source-layer": "buildings",
            "filter": ["==", ["get", "unvisited"], true], "layout": { "visibility": "none" },
            "paint": { "line-color": "#c51b8a", "line-width": ["interpolate", ["linear"], ["zoom"], 14, 1.5, 17, 3.5] } },
          { "id": "buildings-hot", "type": "line", "source": "buildings", "source-layer": "buildings",
            "filter": ["in", ["get", "id"], ["literal", []]], "layout": { "visibility": "none" },
            "paint": { "line-color": "#67000d", "line-width": ["interpolate", ["linear"], ["zoom"], 14, 1.5, 18, 3.5] } },
          { "id": "buildings-selected", "type": "line", "source": "buildings", "source-layer": "buildings",
            "filter": ["==", ["get", "id"], -1], "paint": { "line-color": "#d7191c", "line-width": 3 } },
          { "id": "population-points", "type": "circle", "source": "population", "source-layer": "population",
            "filter": ["==", ["get", "kind"], "building"], "layout": { "visibility": "none" },
            "paint": { "circle-color": "#e34a33", "circle-opacity": 0.6, "circle-stroke-color": "#7f0000", "circle-stroke-width": 1,
              "circle-radius": ["interpolate", ["linear"], ["get", "residents"], 1, 3, 10, 7, 40, 14] } },
          { "id": "case-cells", "type": "circle", "source": "cases", "source-layer": "cases",
            "filter": ["==", ["get", "kind"], "cell"],
            "paint": { "circle-color": "#a50f15", "circle-opacity": 0.55, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1,
              "circle-radius": ["interpolate", ["linear"], ["get", "count"], 1, 4, 10, 8, 100, 16, 1000, 26] } },
          { "id": "cases-points", "type": "circle", "source": "cases", "source-layer": "cases",
            "filter": ["==", ["get", "kind"], "case"],
            "paint": { "circle-radius": 5, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5,
              "circle-color": ["match", ["get", "type"],
                "burglary", "#d7191c", "theft", "#fdae61", "robbery", "#7b3294", "snatching", "#c2a5cf", "fraud", "#1a9641", "assault", "#252525",
                "#888888"] } }
        ]
        """;

    // Somewhere in Guiyang, for a caller whose scope has no grids yet.
    private static readonly double[] GuiyangCentre = [106.63, 26.65];

    public static async Task<Ok<JsonObject>> GetAsync(HttpRequest request, NpgsqlDataSource dataSource, CallerScope scope,
        IOptions<BaseMapOptions> baseMap, CancellationToken ct)
    {
        var bounds = await ScopeBoundsAsync(dataSource, scope, ct);
        // Absolute URLs: MapLibre resolves tile URLs of a style against nothing.
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var sources = new JsonObject();
        foreach (var layer in VectorTileLayers.All)
        {
            var name = layer.Name;
            var source = new JsonObject
            {
                ["type"] = "vector",
                ["tiles"] = new JsonArray($"{baseUrl}/api/map/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt"),
                ["minzoom"] = layer.MinZoom,
                ["maxzoom"] = layer.SourceMaxZoom,
            };
            if (layer == VectorTileLayers.Buildings) source["promoteId"] = "id";
            sources[name] = source;
        }
        var centre = bounds is null ? GuiyangCentre : [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2];
        var layers = JsonNode.Parse(Layers)!.AsArray();
        var style = new JsonObject
        {
            ["version"] = 8,
            ["name"] = "SmartDoorplate police map",
            ["center"] = new JsonArray(centre[0], centre[1]),
            ["zoom"] = bounds is null ? 11 : 14,
            ["metadata"] = new JsonObject
            {
                ["smartdoorplate:bounds"] = bounds is null ? null : new JsonArray(bounds[0], bounds[1], bounds[2], bounds[3]),
                ["smartdoorplate:caseTypes"] = new JsonArray([.. Enum.GetValues<CaseType>().Select(type =>
                    (JsonNode)new JsonObject { ["code"] = SnakeCaseEnum.ToCode(type), ["name"] = CaseTypes.ChineseNames[type] })]),
            },
            ["sources"] = sources,
            ["layers"] = layers,
        };
        BaseMapStyle.AddTo(style, layers, baseUrl, baseMap.Value);
        return TypedResults.Ok(style);
    }

    private static async Task<double[]?> ScopeBoundsAsync(NpgsqlDataSource dataSource, CallerScope scope, CancellationToken ct)
    {
        await using var command = MapSql.ScopeExtent(dataSource, scope);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return [reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)];
    }
}
