using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace SmartDoorplate.Hosting;

// Brotli (then gzip) for what is large and repetitive: scripts, styles, JSON and GeoJSON, vector
// tiles, glyphs and SVG. Officers open the map over 4G, where MapLibre alone is 1.1 MB raw and
// about a quarter of that compressed.
//
// BREACH: a compressed response over TLS leaks, by its length, whether attacker-chosen text matches
// a secret in the same response. So nothing that may carry a secret next to reflected input is
// compressed: no HTML (every signed-in page holds the anti-forgery token in a meta tag, forms hold a
// form token, and pages echo query strings), and none of /api/auth and /api/accounts (bearer tokens,
// the anti-forgery token, temporary passwords). What is left carries data but no token; and the
// session cookie is SameSite=Strict, so another site cannot make a signed-in browser fetch it.
public static class ResponseCompressionSetup
{
    public static readonly IReadOnlyList<string> CompressedTypes =
    [
        "text/javascript", "application/javascript", "text/css", "text/plain", "text/csv",
        "application/json", "application/problem+json", "application/geo+json",
        "application/vnd.mapbox-vector-tile", "application/x-protobuf", "image/svg+xml",
    ];

    // Prefixes whose answers carry secrets (see above); matched case-insensitively.
    public static readonly IReadOnlyList<PathString> NeverCompressed = ["/api/auth", "/api/accounts"];

    public static IServiceCollection AddSmartDoorplateCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            // Behind TLS in production; the exclusions above are what make that safe.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = CompressedTypes;
        });
        // Optimal is Brotli quality 4 here: within a few per cent of the best ratio at a fraction of its
        // CPU. Fingerprinted files are compressed once per client, then cached for a year.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.AddSingleton<IResponseCompressionProvider, SecretAwareCompressionProvider>();
        return services;
    }

    private sealed class SecretAwareCompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context)
        {
            foreach (var prefix in NeverCompressed)
            {
                if (context.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return false;
            }
            return base.ShouldCompressResponse(context);
        }
    }
}
