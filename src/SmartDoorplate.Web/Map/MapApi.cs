using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Accounts;
using SmartDoorplate.Hosting;
using SmartDoorplate.Policing;
using SmartDoorplate.Policing.Cases;
using SmartDoorplate.Policing.Hotspots;

namespace SmartDoorplate.Map;

// The police map: vector tiles, the style that draws them, the building panel, the address search
// and the resident lists (buildings and drawn areas). Police and admins read the map; listing
// persons is for police, as the person search is (Registrations/PersonsApi).
public static class MapApi
{
    public const string TileCacheControl = "private, max-age=60";

    public static IEndpointRouteBuilder MapPoliceMap(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/map").WithTags("Map").RequireAuthorization(Policies.PoliceOrAdmin);
        group.MapGet("/tiles/{layer}/{z}/{x}/{y}.mvt", GetTile).Produces(StatusCodes.Status304NotModified);
        group.MapGet("/style.json", MapStyle.GetAsync);
        group.MapGet("/search", BuildingPanel.SearchAsync);
        group.MapGet("/buildings/{id:long}", BuildingPanel.GetAsync);
        group.MapPost("/buildings/{id:long}/residents", BuildingPanel.ListResidentsAsync).RequireAuthorization(Policies.Police);
        group.MapPost("/area", AreaQuery.RunAsync).RequireAuthorization(Policies.Police);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, NoContent, StatusCodeHttpResult, ValidationProblem, ProblemHttpResult>> GetTile(
        string layer, string z, string x, string y, string? from, string? to, string? types, string? run,
        HttpContext http, [FromKeyedServices(DataServices.SpatialReads)] NpgsqlDataSource dataSource, CallerScope scope,
        BoundaryTileCache boundaryTiles, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!VectorTileLayers.ByName.TryGetValue(layer, out var tileLayer))
        {
            errors["layer"] = [MapText.LayerUnknown.Format(string.Join(", ", VectorTileLayers.ByName.Keys)).ToString()];
        }
        var tile = TileAddress.Parse(z, x, y, errors);
        var cases = tileLayer == VectorTileLayers.Cases ? CaseFilter.Parse(from, to, types, errors) : CaseFilter.All;
        long? runId = null;
        if (tileLayer == VectorTileLayers.Hotspots && run is not null)
        {
            if (long.TryParse(run, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0) runId = id;
            else errors["run"] = [HotspotsApi.RunInvalid.ToString()];
        }
        if (errors.Count > 0 || tileLayer is null || tile is not { } address || cases is null)
        {
            return ValidationProblems.For(errors, title: MapText.TileTitle);
        }

        RenderedTile rendered;
        if (tileLayer == VectorTileLayers.Boundaries)
        {
            rendered = await boundaryTiles.GetOrRenderAsync(dataSource, address, scope, ct);
        }
        else
        {
            long hotspotRun = 0;
            if (tileLayer == VectorTileLayers.Hotspots)
            {
                // ?run=ID draws that stored run; without it, the caller's latest. Another station's run
                // is not found, like anything out of scope.
                var visible = await HotspotRuns.VisibleAsync(dataSource, scope, runId, ct);
                if (visible is null && runId is not null)
                    return TypedResults.Problem(title: MapText.RunNotFound.ToString(), statusCode: StatusCodes.Status404NotFound);
                hotspotRun = visible?.Id ?? 0;
            }
            rendered = RenderedTile.Of(hotspotRun == 0 && tileLayer == VectorTileLayers.Hotspots
                ? []
                : await VectorTiles.RenderAsync(dataSource, tileLayer, address, scope, cases, ct, hotspotRun));
        }

        // Tiles depend on who asks (their scope): private caches only, and per credential.
        http.Response.Headers.CacheControl = TileCacheControl;
        http.Response.Headers.Vary = "Authorization, Cookie";
        if (rendered.ETag is null) return TypedResults.NoContent();

        var etag = new EntityTagHeaderValue(rendered.ETag);
        http.Response.Headers.ETag = rendered.ETag;
        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.File(rendered.Bytes, VectorTiles.ContentType);
    }
}
