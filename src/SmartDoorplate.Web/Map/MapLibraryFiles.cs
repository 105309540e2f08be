using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace SmartDoorplate.Map;

// Browser libraries come from npm (package.json, `npm ci` in scripts/lib/common.sh) and are served
// from node_modules by the app itself — the stations have no internet, so no CDN. This is the one
// place that maps a package's dist folder to a URL; add a package to Libraries, not a second copy.
// MapLibre 6.x ships ES modules only: maplibre-gl.mjs loads maplibre-gl-worker.mjs from beside
// itself, which is why whole dist folders are mapped (same origin, so CSP worker-src 'self' suffices).
// ECharts (the statistics page) is imported as dist/echarts.esm.min.mjs.
public static class MapLibraryFiles
{
    public const string RequestPath = "/lib/maplibre-gl";
    public const string EChartsRequestPath = "/lib/echarts";

    private static readonly (string RequestPath, string Package, string UsedBy)[] Libraries =
    [
        (RequestPath, "maplibre-gl", "/police/map"),
        (EChartsRequestPath, "echarts", "/police/statistics"),
    ];

    public static IApplicationBuilder UseMapLibraryFiles(this WebApplication app)
    {
        var contentTypes = new FileExtensionContentTypeProvider();
        contentTypes.Mappings[".mjs"] = "text/javascript";
        contentTypes.Mappings[".map"] = "application/json";
        foreach (var (requestPath, package, usedBy) in Libraries)
        {
            var dist = Path.Combine(app.Environment.ContentRootPath, "node_modules", package, "dist");
            if (!Directory.Exists(dist))
            {
                // The API and every other page still work; only the page using it cannot draw.
                app.Logger.LogWarning("{Package} is not installed ({Dist} is missing, {Page} cannot draw): run `npm ci` in src/SmartDoorplate.Web", package, dist, usedBy);
                continue;
            }
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(dist),
                RequestPath = requestPath,
                ContentTypeProvider = contentTypes,
            });
        }
        return app;
    }
}
