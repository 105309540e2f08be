using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace SmartDoorplate.Hosting;

// How long a browser keeps a static file. A fingerprinted URL — `?v=` with the file's own hash, as
// `asp-append-version` writes it, or a library under its package version (Map/MapLibraryFiles) —
// names one content forever, so it is kept a year without asking again. Any other URL of a file
// may change under it at the next deployment: the browser keeps it but asks each time (ETag → 304).
public static class StaticFileCaching
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string Revalidate = "no-cache";

    // wwwroot: immutable only when `v` is the hash of the file being served now; a stale or made-up
    // `v` gets the current file, revalidated, so a wrong fingerprint is never cached for a year.
    public static IApplicationBuilder UseFingerprintedStaticFiles(this IApplicationBuilder app)
    {
        var versions = app.ApplicationServices.GetRequiredService<IFileVersionProvider>();
        return app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var request = context.Context.Request;
                var fingerprint = request.Query["v"];
                var fresh = fingerprint.Count == 1
                    && versions.AddFileVersionToPath(request.PathBase, request.Path.Value!) == $"{request.Path.Value}?v={fingerprint[0]}";
                context.Context.Response.Headers.CacheControl = fresh ? Immutable : Revalidate;
            },
        });
    }

    // For a folder served under a versioned path, where every URL is a fingerprint.
    public static StaticFileOptions Options(StaticFileOptions options, bool versioned)
    {
        var header = versioned ? Immutable : Revalidate;
        options.OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = header;
        return options;
    }
}
