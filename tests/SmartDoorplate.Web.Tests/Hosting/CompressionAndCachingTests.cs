using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using SmartDoorplate.Hosting;
using SmartDoorplate.Web.Tests.Map;

namespace SmartDoorplate.Web.Tests.Hosting;

// What the police map sends over 4G: scripts, styles, JSON and tiles compressed when the browser
// asks, fingerprinted files kept a year, everything else revalidated, and nothing that carries a
// token next to reflected input compressed (BREACH).
[Collection(PilotMapCollection.Name)]
public sealed partial class CompressionAndCachingTests(PilotMapFixture app)
{
    [GeneratedRegex("""(?:href|src|data-maplibre)="(?<url>/(?:js|css|lib)/[^"]+)""")]
    private static partial Regex AssetUrl();

    private async Task<IReadOnlyList<string>> MapPageAssetsAsync()
    {
        var html = await app.Gaicha.GetStringAsync("/police/map");
        return AssetUrl().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["url"].Value)).Distinct().ToList();
    }

    private async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (encoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        return await client.SendAsync(request);
    }

    private static async Task<byte[]> DecodedAsync(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        Stream decoded = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            null => body,
            var other => throw new InvalidOperationException($"unexpected encoding {other}"),
        };
        using var bytes = new MemoryStream();
        await decoded.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    // Each encoding decodes to the very bytes sent without one, and is smaller.
    private async Task AssertCompressedAsync(HttpClient client, string url)
    {
        var plain = await GetAsync(client, url, null);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        var original = await plain.Content.ReadAsByteArrayAsync();
        foreach (var encoding in new[] { "br", "gzip" })
        {
            var response = await GetAsync(client, url, encoding == "br" ? "gzip, deflate, br" : "gzip");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            var sent = (await response.Content.ReadAsByteArrayAsync()).Length;
            Assert.True(sent < original.Length, $"{url} as {encoding}: {sent} bytes, {original.Length} unencoded");
            Assert.Equal(original, await DecodedAsync(await GetAsync(client, url, encoding)));
        }
    }

    [Fact]
    public async Task MapLibreThePagesScriptAndStylesheetGoBrotliOrGzipWhenAsked()
    {
        var assets = await MapPageAssetsAsync();
        var mapLibre = Assert.Single(assets, a => a.EndsWith("/maplibre-gl.mjs", StringComparison.Ordinal) && a.StartsWith("/lib/", StringComparison.Ordinal));
        var script = Assert.Single(assets, a => a.StartsWith("/js/police-map.js?v=", StringComparison.Ordinal));
        var stylesheet = Assert.Single(assets, a => a.StartsWith("/css/police-map.css?v=", StringComparison.Ordinal));

        foreach (var url in new[] { mapLibre, script, stylesheet }) await AssertCompressedAsync(app.Gaicha, url);
    }

    [Fact]
    public async Task TheStyleJsonAndAVectorTileGoBrotliOrGzipWhenAsked()
    {
        await AssertCompressedAsync(app.Gaicha, "/api/map/style.json");
        // Tiles below their compression threshold would prove nothing: a busy low-zoom buildings tile.
        var tile = PilotMapFixture.TileUrl("buildings", PilotMapFixture.GaichaTile(14));
        var plain = await GetAsync(app.Gaicha, tile, null);
        Assert.Equal("application/vnd.mapbox-vector-tile", plain.Content.Headers.ContentType?.MediaType);
        await AssertCompressedAsync(app.Gaicha, tile);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/police/map")]
    [InlineData("/api/auth/antiforgery")]
    public async Task PagesAndAnswersThatCarryATokenAreNeverCompressed(string url)
    {
        var response = await GetAsync(app.Gaicha, url, "gzip, deflate, br");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task FingerprintedFilesAreKeptAYearAndTheirPlainUrlsAreRevalidated()
    {
        var assets = await MapPageAssetsAsync();
        var fingerprinted = assets.Where(a => a.Contains("?v=", StringComparison.Ordinal) || a.StartsWith("/lib/", StringComparison.Ordinal)).ToList();
        Assert.Contains(fingerprinted, a => a.StartsWith("/lib/maplibre-gl/", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(fingerprinted, a => a.StartsWith("/js/police-map.js?v=", StringComparison.Ordinal));

        foreach (var url in fingerprinted)
        {
            var response = await GetAsync(app.Gaicha, url, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(StaticFileCaching.Immutable, response.Headers.CacheControl?.ToString());
        }
        // The same files without a fingerprint, or with one that is not their hash, are revalidated.
        foreach (var url in new[] { "/js/police-map.js", "/js/police-map.js?v=not-its-hash", "/js/map-queue.js", "/lib/maplibre-gl/maplibre-gl.mjs" })
        {
            var response = await GetAsync(app.Gaicha, url, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoCache, $"{url}: {response.Headers.CacheControl}");
            Assert.NotNull(response.Headers.ETag);
        }
        // The worker MapLibre starts from beside its module is under the same version.
        var worker = fingerprinted.Single(a => a.EndsWith("/maplibre-gl.mjs", StringComparison.Ordinal)).Replace("maplibre-gl.mjs", "maplibre-gl-worker.mjs", StringComparison.Ordinal);
        Assert.Equal(StaticFileCaching.Immutable, (await GetAsync(app.Gaicha, worker, null)).Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task TilesArePrivateToTheOfficerAndRevalidatedByETag()
    {
        var tile = PilotMapFixture.TileUrl("buildings", PilotMapFixture.GaichaTile(16));
        var first = await GetAsync(app.Gaicha, tile, "br");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(first.Headers.CacheControl?.Private);
        Assert.False(first.Headers.CacheControl?.Public);
        var again = new HttpRequestMessage(HttpMethod.Get, tile);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        again.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        Assert.Equal(HttpStatusCode.NotModified, (await app.Gaicha.SendAsync(again)).StatusCode);
    }
}
