using System.Globalization;
using SkiaSharp;

namespace SmartDoorplate.Doorplates.Printing;

// Print sheets: A4 portrait, two plates a page at 60% (180 × 120 mm), with cut marks at every plate
// corner. A 300 × 200 mm plate does not fit an A4 page at true size, and 60% keeps 1.3 mm QR modules
// (scannable from a metre or two) while two plates share a page. The sheets are for proofs and paper
// plates; a sign maker makes the aluminium plate from plate.svg at true size.
public static class PlateSheet
{
    public const float Scale = 0.6f;
    public const int PlatesPerPage = 2;
    public const float PageWidth = 210, PageHeight = 297;
    public const float PlateWidth = PlateLayout.Width * Scale, PlateHeight = PlateLayout.Height * Scale;
    public const float Gap = 20;                    // between the two plates, room for both sets of marks
    public const float CutMarkOffset = 2, CutMarkLength = 5;
    private const float PointsPerMm = 72 / 25.4f;

    public static float PlateLeft => (PageWidth - PlateWidth) / 2;
    public static float PlateTop(int slot) => (PageHeight - PlatesPerPage * PlateHeight - (PlatesPerPage - 1) * Gap) / 2 + slot * (PlateHeight + Gap);

    // Plates are laid out while earlier ones are drawn: QR encoding and text measuring run on the
    // other cores (PLINQ, in order), the PDF is written by this thread alone.
    public static void Write(Stream output, IReadOnlyList<PlateFace> faces, Func<string, string> scanLink, PlateFonts fonts,
        string title, Action<int>? onPlateDrawn = null)
    {
        var metadata = new SKDocumentPdfMetadata
        {
            Title = title,
            Creator = "SmartDoorplate 智慧门牌",
            Producer = "SmartDoorplate",
            RasterDpi = 300,
        };
        using var document = SKDocument.CreatePdf(output, metadata);
        using var painter = new SkiaPlatePainter(fonts);
        using var marks = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 0.2f, Color = SKColors.Black, IsAntialias = true };
        using var footerFont = new SKFont(fonts.Regular, 3) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None };
        using var footerPaint = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        var pages = (faces.Count + PlatesPerPage - 1) / PlatesPerPage;

        var drawings = faces.AsParallel().AsOrdered().WithMergeOptions(ParallelMergeOptions.NotBuffered)
            .Select(face => PlateLayout.Compose(face, scanLink(face.Code), fonts));
        SKCanvas? canvas = null;
        var index = 0;
        foreach (var drawing in drawings)
        {
            var slot = index % PlatesPerPage;
            if (slot == 0)
            {
                canvas = document.BeginPage(PageWidth * PointsPerMm, PageHeight * PointsPerMm);
                canvas.Scale(PointsPerMm);
                var footer = string.Create(CultureInfo.InvariantCulture,
                    $"{title} · 第 {index / PlatesPerPage + 1}/{pages} 页 · 按 60% 印制（实物 300 × 200 mm）· 沿角线裁切");
                canvas.DrawText(footer, PageWidth / 2, PageHeight - 8, SKTextAlign.Center, footerFont, footerPaint);
            }
            var left = PlateLeft;
            var top = PlateTop(slot);
            DrawCutMarks(canvas!, left, top, marks);
            canvas!.Save();
            canvas.Translate(left, top);
            canvas.Scale(Scale);
            painter.Draw(canvas, drawing);
            canvas.Restore();
            index++;
            if (slot == PlatesPerPage - 1 || index == faces.Count) document.EndPage();
            onPlateDrawn?.Invoke(index);
        }
        document.Close();
    }

    // Printers' crop marks: short lines just outside each corner, in line with the plate's edges,
    // so that nothing is printed on the plate's edge itself and the guillotine cut is obvious.
    private static void DrawCutMarks(SKCanvas canvas, float left, float top, SKPaint paint)
    {
        var right = left + PlateWidth;
        var bottom = top + PlateHeight;
        foreach (var (x, y, dx, dy) in new[] { (left, top, -1f, -1f), (right, top, 1f, -1f), (left, bottom, -1f, 1f), (right, bottom, 1f, 1f) })
        {
            canvas.DrawLine(x + dx * CutMarkOffset, y, x + dx * (CutMarkOffset + CutMarkLength), y, paint);
            canvas.DrawLine(x, y + dy * CutMarkOffset, x, y + dy * (CutMarkOffset + CutMarkLength), paint);
        }
    }
}
