using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using SmartDoorplate.Hosting;

namespace SmartDoorplate.Map;

// Browser libraries come from npm (package.json, `npm ci` in scripts/lib/common.sh) and are served
// from node_modules by the app itself — the stations have no internet, so no CDN. This is the one
// place that maps a package's dist folder to a URL; add a package to Libraries, not a second copy.
// MapLibre 6.x ships ES modules only: maplibre-gl.mjs loads maplibre-gl-worker.mjs from beside
// itself, which is why whole dist folders are mapped (same origin, so CSP worker-src 'self' suffices).
// ECharts (the statistics page) is imported as dist/echarts.esm.min.mjs.
//
// Each folder is served twice: under its package version (`/lib/maplibre-gl/6.17.0/…`, what pages
// link through VersionedPath), which names one content for good and is cached for a year; and at the
// plain path, which keeps working for older links and is revalidated on every use.
public static class MapLibraryFiles
{
    public const string RequestPath = "/lib/maplibre-gl";
    public const string EChartsRequestPath = "/lib/echarts";

    private static readonly (string RequestPath, string Package, string UsedBy)[] Libraries =
    [
        (RequestPath, "maplibre-gl", "/police/map"),
        (EChartsRequestPath, "echarts", "/police/statistics"),
    ];

    private static readonly ConcurrentDictionary<string, string?> Versions = new();

    // `/lib/maplibre-gl/6.17.0` for RequestPath; the plain path when the package is not installed.
    public static string VersionedPath(IWebHostEnvironment environment, string requestPath)
    {
        var package = Libraries.Single(l => l.RequestPath == requestPath).Package;
        return PackageVersion(environment.ContentRootPath, package) is { } version ? $"{requestPath}/{version}" : requestPath;
    }

    private static string? PackageVersion(string contentRoot, string package) =>
        Versions.GetOrAdd(Path.Combine(contentRoot, "node_modules", package, "package.json"), manifest =>
        {
            if (!File.Exists(manifest)) return null;
            using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
            return json.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
        });

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
            var files = new PhysicalFileProvider(dist);
            // The versioned path first: the plain one would otherwise look for a "6.17.0" folder and fall through.
            var versioned = VersionedPath(app.Environment, requestPath);
            if (versioned != requestPath)
            {
                app.UseStaticFiles(StaticFileCaching.Options(
                    new StaticFileOptions { FileProvider = files, RequestPath = versioned, ContentTypeProvider = contentTypes }, versioned: true));
            }
            app.UseStaticFiles(StaticFileCaching.Options(
                new StaticFileOptions { FileProvider = files, RequestPath = requestPath, ContentTypeProvider = contentTypes }, versioned: false));
        }
        return app;
    }
}
