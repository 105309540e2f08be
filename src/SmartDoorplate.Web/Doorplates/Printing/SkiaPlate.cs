using SkiaSharp;

namespace SmartDoorplate.Doorplates.Printing;

// Draws plates with Skia onto any canvas whose unit is the millimetre (a PNG bitmap, a PDF page).
// One painter draws many plates: its fonts and paints are made once and re-used for every plate.
// Not thread-safe (SKFont and SKPaint are mutated per element): one painter per rendering.
public sealed class SkiaPlatePainter : IDisposable
{
    private readonly SKFont regular;
    private readonly SKFont bold;
    private readonly SKPaint fill = new() { Style = SKPaintStyle.Fill, IsAntialias = true };
    private readonly SKPaint stroke = new() { Style = SKPaintStyle.Stroke, IsAntialias = true };
    // QR modules without anti-aliasing: crisp module edges are what a decoder needs.
    private readonly SKPaint modules = new() { Style = SKPaintStyle.Fill, IsAntialias = false };

    public SkiaPlatePainter(PlateFonts fonts)
    {
        regular = new SKFont(fonts.Regular, 10) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None, Edging = SKFontEdging.Antialias };
        bold = new SKFont(fonts.Bold, 10) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None, Edging = SKFontEdging.Antialias };
    }

    public void Draw(SKCanvas canvas, IReadOnlyList<PlateElement> elements)
    {
        foreach (var element in elements)
        {
            switch (element)
            {
                case PlateBox box:
                    var rect = SKRect.Create(box.X, box.Y, box.Width, box.Height);
                    if (box.Fill is { } fillColor)
                    {
                        fill.Color = Sk(fillColor);
                        if (box.CornerRadius > 0) canvas.DrawRoundRect(rect, box.CornerRadius, box.CornerRadius, fill);
                        else canvas.DrawRect(rect, fill);
                    }
                    if (box.Stroke is { } strokeColor)
                    {
                        stroke.Color = Sk(strokeColor);
                        stroke.StrokeWidth = box.StrokeWidth;
                        canvas.DrawRoundRect(rect, box.CornerRadius, box.CornerRadius, stroke);
                    }
                    break;
                case PlateLine line:
                    stroke.Color = Sk(line.Color);
                    stroke.StrokeWidth = line.Width;
                    canvas.DrawLine(line.X1, line.Y1, line.X2, line.Y2, stroke);
                    break;
                case PlateText text:
                    var font = text.Bold ? bold : regular;
                    font.Size = text.Size;
                    fill.Color = Sk(text.Color);
                    canvas.DrawText(text.Text, text.X, text.Baseline,
                        text.Anchor == PlateAnchor.Middle ? SKTextAlign.Center : SKTextAlign.Left, font, fill);
                    break;
                case PlateQr qr:
                    DrawQr(canvas, qr);
                    break;
            }
        }
    }

    // Rectangles, not a path: Skia writes each as one PDF `re` operator, which is several times faster
    // to write and to read than the same outline as a path. Without anti-aliasing the edges of
    // touching rectangles snap to the same pixels, so no seams show.
    private void DrawQr(SKCanvas canvas, PlateQr qr)
    {
        var symbol = qr.Symbol;
        var m = qr.ModuleSize;
        modules.Color = Sk(qr.Dark);
        for (var i = 0; i < symbol.RectCount; i++)
        {
            var (column, row, width, height) = symbol.Rect(i);
            canvas.DrawRect(qr.X + column * m, qr.Y + row * m, width * m, height * m, modules);
        }
    }

    private static SKColor Sk(PlateColor color) => new(color.R, color.G, color.B);

    public void Dispose()
    {
        regular.Dispose();
        bold.Dispose();
        fill.Dispose();
        stroke.Dispose();
        modules.Dispose();
    }
}

public static class SkiaPlate
{
    // 300 dpi: the usual resolution of print shops; 300 × 200 mm becomes 3543 × 2362 pixels.
    public const float PngDpi = 300;
    public const int QrPixelsPerModule = 10;

    public static byte[] PlatePng(IReadOnlyList<PlateElement> elements, PlateFonts fonts)
    {
        var pixelsPerMm = PngDpi / 25.4f;
        var width = (int)MathF.Round(PlateLayout.Width * pixelsPerMm);
        var height = (int)MathF.Round(PlateLayout.Height * pixelsPerMm);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var painter = new SkiaPlatePainter(fonts))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(pixelsPerMm);
            painter.Draw(canvas, elements);
        }
        return EncodePng(bitmap, PngDpi);
    }

    // Whole pixels per module and no anti-aliasing: the sharpest QR a scanner can get.
    public static byte[] QrPng(QrSymbol symbol)
    {
        var side = symbol.Size * QrPixelsPerModule;
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false })
        {
            canvas.Clear(SKColors.White);
            for (var i = 0; i < symbol.RectCount; i++)
            {
                var (column, row, width, height) = symbol.Rect(i);
                canvas.DrawRect(column * QrPixelsPerModule, row * QrPixelsPerModule, width * QrPixelsPerModule, height * QrPixelsPerModule, paint);
            }
        }
        return EncodePng(bitmap, null);
    }

    private static byte[] EncodePng(SKBitmap bitmap, float? dpi)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("Skia could not encode the PNG");
        var png = data.ToArray();
        return dpi is { } d ? PngDensity.WithDpi(png, d) : png;
    }
}
