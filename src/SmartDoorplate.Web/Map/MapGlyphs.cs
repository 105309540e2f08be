using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using SkiaSharp;
using SmartDoorplate.Doorplates.Printing;

namespace SmartDoorplate.Map;

// The glyphs MapLibre draws labels with (`glyphs` of the style: /map/glyphs/{fontstack}/{range}.pbf),
// made by the app from the Noto Sans CJK SC it already loads for the plates (Debian fonts-noto-cjk): the
// stations have no internet, so no font server, and no build step or committed binaries either.
//
// Each range of 256 code points is rendered once and kept: glyphs at 24 px with a 3 px border, turned
// into signed distance fields (radius 8, cutoff 0.25: what MapLibre's own TinySDF and mapbox fontnik
// make, so the shader's edge sits where theirs does), written as the glyphs protobuf MapLibre reads.
// The style names this one face only; another font stack is 404.
//
// Chinese characters are drawn by the browser itself by default (MapLibre's localIdeographFontFamily,
// set by police-map.js): a 256-character range of ideographs is ~230 KB, and a street's name spans as
// many ranges as it has characters, too much over 4G when every officer's phone has a CJK font.
// This endpoint still serves those ranges, for a browser told not to (MapOptions.LocalIdeographs).
public sealed partial class MapGlyphs(PlateFonts fonts) : IDisposable
{
    public const string FontStack = "Noto Sans CJK SC Regular";
    public const string UrlTemplate = "/map/glyphs/{fontstack}/{range}.pbf";
    public const string ContentType = "application/x-protobuf";

    // Glyph PBFs never change for a given font; a week, and revalidation by ETag after.
    public const string CacheControl = "public, max-age=604800";

    private const int Size = 24;
    private const int Border = 3;
    private const double Radius = 8;
    private const double Cutoff = 0.25;

    // Ranges of ideographs are the large ones; 32 MB holds 140 of them.
    private readonly MemoryCache ranges = new(new MemoryCacheOptions { SizeLimit = 32L * 1024 * 1024 });
    private readonly Lock drawLock = new();

    public static IEndpointRouteBuilder MapGlyphRanges(IEndpointRouteBuilder app)
    {
        // Font data only, no one's data: anonymous, and cacheable by anyone.
        app.MapGet(UrlTemplate, GetAsync).AllowAnonymous().WithTags("Map").ExcludeFromDescription();
        return app;
    }

    private static Results<FileContentHttpResult, NotFound> GetAsync(string fontstack, string range, MapGlyphs glyphs, HttpContext http)
    {
        var match = RangePattern().Match(range);
        if (fontstack != FontStack || !match.Success) return TypedResults.NotFound();
        var start = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var end = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (start % 256 != 0 || end != start + 255 || end > 0xFFFF) return TypedResults.NotFound();

        http.Response.Headers.CacheControl = CacheControl;
        return TypedResults.File(glyphs.Range(start), ContentType);
    }

    [GeneratedRegex(@"^(\d{1,5})-(\d{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();

    public byte[] Range(int start) =>
        ranges.GetOrCreate(start, entry =>
        {
            var bytes = Render(start);
            entry.Size = bytes.Length;
            return bytes;
        })!;

    private byte[] Render(int start)
    {
        var glyphs = new List<byte[]>();
        lock (drawLock)
        {
            using var font = new SKFont(fonts.Regular, Size) { Subpixel = true, Edging = SKFontEdging.Antialias, Hinting = SKFontHinting.Normal };
            for (var codePoint = start; codePoint < start + 256; codePoint++)
            {
                // Surrogates are halves of characters, not characters.
                if (codePoint is >= 0xD800 and <= 0xDFFF) continue;
                var text = char.ConvertFromUtf32(codePoint);
                var glyphId = font.GetGlyph(codePoint);
                if (glyphId == 0 && codePoint != ' ') continue;
                glyphs.Add(Glyph(font, codePoint, text, glyphId));
            }
        }

        var stack = new ProtoWriter();
        stack.String(1, FontStack);
        stack.String(2, $"{start}-{start + 255}");
        foreach (var glyph in glyphs) stack.Bytes(3, glyph);
        var message = new ProtoWriter();
        message.Bytes(1, stack.ToArray());
        return message.ToArray();
    }

    private static byte[] Glyph(SKFont font, int codePoint, string text, ushort glyphId)
    {
        var advance = font.GetGlyphWidths([glyphId], out var boundsArray)[0];
        var bounds = boundsArray[0];
        var writer = new ProtoWriter();
        writer.UInt(1, (uint)codePoint);
        if (bounds.IsEmpty)
        {
            writer.UInt(3, 0);
            writer.UInt(4, 0);
            writer.SInt(5, 0);
            writer.SInt(6, 0);
            writer.UInt(7, (uint)Math.Round(advance));
            return writer.ToArray();
        }

        var left = (int)Math.Floor(bounds.Left);
        var top = (int)Math.Floor(bounds.Top);
        var width = (int)Math.Ceiling(bounds.Right) - left;
        var height = (int)Math.Ceiling(bounds.Bottom) - top;
        var bitmapWidth = width + 2 * Border;
        var bitmapHeight = height + 2 * Border;

        var info = new SKImageInfo(bitmapWidth, bitmapHeight, SKColorType.Alpha8, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        bitmap.Erase(SKColors.Transparent);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.DrawText(text, Border - left, Border - top, SKTextAlign.Left, font, paint);
        }

        writer.Bytes(2, DistanceField(bitmap.GetPixelSpan(), bitmapWidth, bitmapHeight, bitmap.RowBytes));
        writer.UInt(3, (uint)width);
        writer.UInt(4, (uint)height);
        writer.SInt(5, left);
        // MapLibre's glyph top: rows above the baseline, less the 27 its layout assumes for a 24 px line
        // (the same offset it applies to the glyphs it draws itself).
        writer.SInt(6, -top - 27);
        writer.UInt(7, (uint)Math.Round(advance));
        return writer.ToArray();
    }

    // Coverage → signed distance (Felzenszwalb & Huttenlocher's exact Euclidean distance transform on
    // the outside and the inside, as TinySDF does) → 0..255 with the edge at 191.
    private static byte[] DistanceField(ReadOnlySpan<byte> alpha, int width, int height, int rowBytes)
    {
        const double infinity = 1e20;
        var size = width * height;
        var outer = new double[size];
        var inner = new double[size];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var a = alpha[y * rowBytes + x] / 255.0;
                var i = y * width + x;
                // outer: squared distance to the nearest inked pixel; inner: to the nearest blank one.
                if (a >= 1) { outer[i] = 0; inner[i] = infinity; }
                else if (a <= 0) { outer[i] = infinity; inner[i] = 0; }
                else
                {
                    var d = 0.5 - a;
                    outer[i] = d > 0 ? d * d : 0;
                    inner[i] = d < 0 ? d * d : 0;
                }
            }
        }

        Transform(outer, width, height);
        Transform(inner, width, height);
        var field = new byte[size];
        for (var i = 0; i < size; i++)
        {
            var distance = Math.Sqrt(outer[i]) - Math.Sqrt(inner[i]);
            field[i] = (byte)Math.Clamp(Math.Round(255 - 255 * (distance / Radius + Cutoff)), 0, 255);
        }
        return field;
    }

    private static void Transform(double[] grid, int width, int height)
    {
        var length = Math.Max(width, height);
        var f = new double[length];
        var v = new int[length];
        var z = new double[length + 1];
        var d = new double[length];
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++) f[y] = grid[y * width + x];
            Transform1D(f, v, z, d, height);
            for (var y = 0; y < height; y++) grid[y * width + x] = d[y];
        }
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++) f[x] = grid[y * width + x];
            Transform1D(f, v, z, d, width);
            for (var x = 0; x < width; x++) grid[y * width + x] = d[x];
        }
    }

    private static void Transform1D(double[] f, int[] v, double[] z, double[] d, int n)
    {
        v[0] = 0;
        z[0] = double.NegativeInfinity;
        z[1] = double.PositiveInfinity;
        var k = 0;
        for (var q = 1; q < n; q++)
        {
            var s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
            while (s <= z[k])
            {
                k--;
                s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = double.PositiveInfinity;
        }
        k = 0;
        for (var q = 0; q < n; q++)
        {
            while (z[k + 1] < q) k++;
            var r = q - v[k];
            d[q] = r * r + f[v[k]];
        }
    }

    public void Dispose() => ranges.Dispose();

    // The three protobuf wire types the glyphs message uses.
    private sealed class ProtoWriter
    {
        private readonly MemoryStream stream = new();

        public void UInt(int field, uint value)
        {
            Varint((ulong)(field << 3));
            Varint(value);
        }

        public void SInt(int field, int value)
        {
            Varint((ulong)(field << 3));
            Varint((uint)((value << 1) ^ (value >> 31)));
        }

        public void String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

        public void Bytes(int field, byte[] value)
        {
            Varint((ulong)((field << 3) | 2));
            Varint((ulong)value.Length);
            stream.Write(value);
        }

        public byte[] ToArray() => stream.ToArray();

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            stream.WriteByte((byte)value);
        }
    }
}
