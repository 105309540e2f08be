using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Npgsql;
using SmartDoorplate.Data;
using SmartDoorplate.Accounts;
using SmartDoorplate.Hosting;

namespace SmartDoorplate.Map;

// The police map: vector tiles, the style that draws them, the building panel, the address search
// and the resident lists (buildings and drawn areas). Police and admins read the map; listing
// persons is for police, as the person search is (Registrations/PersonsApi).
public static class MapApi
{
    public const string TileCacheControl = "private, max-age=60";

    public static IServiceCollection AddPoliceMap(this IServiceCollection services)
    {
        services.AddBoundaryTileCache();
        services.AddBaseMap();
        services.AddScoped<MaskedResidents>();
        services.AddScoped<LandlordContacts>();
        return services;
    }

    public static IEndpointRouteBuilder MapPoliceMap(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/map").WithTags("Map").RequireAuthorization(Policies.PoliceOrAdmin);
        group.MapGet("/tiles/{layer}/{z}/{x}/{y}.mvt", GetTile).Produces(StatusCodes.Status304NotModified);
        group.MapGet("/style.json", MapStyle.GetAsync);
        group.MapGet("/search", BuildingPanel.SearchAsync);
        group.MapGet("/buildings/{id:long}", BuildingPanel.GetAsync);
        group.MapPost("/buildings/{id:long}/residents", BuildingPanel.ListResidentsAsync).RequireAuthorization(Policies.Police);
        group.MapPost("/area", AreaQuery.RunAsync).RequireAuthorization(Policies.Police);
        MapGlyphs.MapGlyphRanges(app);
        return app;
    }

    // Find the layer, check its parameters, render, answer with an ETag.
    private static async Task<Results<FileContentHttpResult, NoContent, StatusCodeHttpResult, ValidationProblem, ProblemHttpResult>> GetTile(
        string layer, string z, string x, string y, string? from, string? to, string? types, string? run,
        HttpContext http, [FromKeyedServices(DataServices.SpatialReads)] NpgsqlDataSource dataSource, CallerScope scope, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!VectorTileLayers.ByName.TryGetValue(layer, out var tileLayer))
        {
            errors["layer"] = [MapText.LayerUnknown.Format(string.Join(", ", VectorTileLayers.ByName.Keys)).ToString()];
        }
        var tile = TileAddress.Parse(z, x, y, errors);
        // An unknown layer has no parameters to check; its error above already makes this a 400.
        var parameters = tileLayer?.ParseParameters(new TileQuery(from, to, types, run), errors) ?? TileParameters.None;
        if (errors.Count > 0 || tileLayer is null || tile is not { } address)
        {
            return ValidationProblems.For(errors, title: MapText.TileTitle);
        }

        var rendered = await tileLayer.RenderAsync(new TileRequest(dataSource, address, scope, parameters, http.RequestServices), ct);
        if (rendered is null)
            return TypedResults.Problem(title: tileLayer.NotFoundTitle.ToString(), statusCode: StatusCodes.Status404NotFound);

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
        return TypedResults.File(rendered.Bytes, RenderedTile.ContentType);
    }
}
