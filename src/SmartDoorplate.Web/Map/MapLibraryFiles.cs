using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace SmartDoorplate.Map;

// MapLibre GL JS comes from npm (package.json, `npm ci` in scripts/lib/common.sh) and is served
// from node_modules by the app itself — the stations have no internet, so no CDN. 6.x ships ES
// modules only: maplibre-gl.mjs loads maplibre-gl-worker.mjs from beside itself, which is why the
// whole dist folder is mapped (same origin, so CSP worker-src 'self' suffices).
public static class MapLibraryFiles
{
    public const string RequestPath = "/lib/maplibre-gl";

    public static IApplicationBuilder UseMapLibraryFiles(this WebApplication app)
    {
        var dist = Path.Combine(app.Environment.ContentRootPath, "node_modules", "maplibre-gl", "dist");
        if (!Directory.Exists(dist))
        {
            // The API and every other page still work; only /police/map cannot draw.
            app.Logger.LogWarning("MapLibre is not installed ({Dist} is missing): run `npm ci` in src/SmartDoorplate.Web", dist);
            return app;
        }
        var contentTypes = new FileExtensionContentTypeProvider();
        contentTypes.Mappings[".mjs"] = "text/javascript";
        contentTypes.Mappings[".map"] = "application/json";
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(dist),
            RequestPath = RequestPath,
            ContentTypeProvider = contentTypes,
        });
    }
}
