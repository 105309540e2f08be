using System.Globalization;
using NetTopologySuite.Geometries;
using SkiaSharp;
using SmartDoorplate.Doorplates.Printing;
using SmartDoorplate.Localization;

namespace SmartDoorplate.Policing.Report;

// The report drawn once, in millimetres, on any Skia canvas: the A4 PDF page, the PNG, and the two
// SVGs the page shows (Skia's SVG canvas), so that screen, paper and image are the same picture.
public static class ReportDrawing
{
    public const float PageWidth = 210, PageHeight = 297;
    public const float Margin = 15;
    public const float ChartWidth = PageWidth - 2 * Margin, ChartHeight = 62;
    public const float MapWidth = PageWidth - 2 * Margin, MapHeight = 88;
    public const float PngDpi = 150;
    private const float PointsPerMm = 72 / 25.4f;

    // The police map's colours (police-map.js), so the two read alike.
    public static readonly IReadOnlyList<(string Class, SKColor Colour, string Label)> Classes =
    [
        ("hot_99", SKColor.Parse("#b2182b"), "热点 99%"),
        ("hot_95", SKColor.Parse("#ef8a62"), "热点 95%"),
        ("hot_90", SKColor.Parse("#fddbc7"), "热点 90%"),
        ("not_significant", SKColor.Parse("#f2f2f2"), "不显著"),
        ("cold_90", SKColor.Parse("#d1e5f0"), "冷点 90%"),
        ("cold_95", SKColor.Parse("#67a9cf"), "冷点 95%"),
        ("cold_99", SKColor.Parse("#2166ac"), "冷点 99%"),
    ];

    private static readonly SKColor BeforeColour = SKColor.Parse("#9e9e9e");
    private static readonly SKColor AfterColour = SKColor.Parse("#1f5fa8");
    private static readonly SKColor Ink = SKColor.Parse("#222222");
    private static readonly SKColor Muted = SKColor.Parse("#666666");

    public static string Pct(double percent) =>
        double.IsNaN(percent) ? "—" : (percent > 0 ? "+" : percent < 0 ? "−" : "") + Math.Abs(percent).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string MonthLabel(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static void WritePdf(Stream output, PilotReport report, PlateFonts fonts)
    {
        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"{report.AreaName} 智慧门牌试点报告",
            Creator = "SmartDoorplate 智慧门牌",
            Producer = "SmartDoorplate",
            RasterDpi = 300,
        };
        using var document = SKDocument.CreatePdf(output, metadata);
        var canvas = document.BeginPage(PageWidth * PointsPerMm, PageHeight * PointsPerMm);
        canvas.Scale(PointsPerMm);
        DrawPage(canvas, report, fonts);
        document.EndPage();
        document.Close();
    }

    // A4 at 150 dpi: 1240 × 1754 pixels.
    public static byte[] Png(PilotReport report, PlateFonts fonts)
    {
        var pixelsPerMm = PngDpi / 25.4f;
        var width = (int)MathF.Round(PageWidth * pixelsPerMm);
        var height = (int)MathF.Round(PageHeight * pixelsPerMm);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(pixelsPerMm);
            DrawPage(canvas, report, fonts);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("Skia could not encode the PNG");
        return PngDensity.WithDpi(data.ToArray(), PngDpi);
    }

    // The chart or the map alone as SVG for the page, drawn at 4 px per mm.
    public static byte[] Svg(PilotReport report, PlateFonts fonts, bool map)
    {
        const float scale = 4;
        var (width, height) = map ? (MapWidth, MapHeight) : (ChartWidth, ChartHeight);
        using var stream = new MemoryStream();
        using (var managed = new SKManagedWStream(stream))
        using (var canvas = SKSvgCanvas.Create(SKRect.Create(width * scale, height * scale), managed))
        {
            canvas.Scale(scale);
            if (map) DrawMap(canvas, report, fonts, SKRect.Create(width, height));
            else DrawChart(canvas, report, fonts, SKRect.Create(width, height));
        }
        return stream.ToArray();
    }

    public static void DrawPage(SKCanvas canvas, PilotReport report, PlateFonts fonts)
    {
        using var white = new SKPaint { Color = SKColors.White };
        canvas.DrawRect(0, 0, PageWidth, PageHeight, white);
        var y = Margin + 6;
        Text(canvas, fonts, $"{report.AreaName} 智慧门牌试点成效报告", Margin, y, 6.5f, bold: true);
        y += 7;
        Text(canvas, fonts, $"两抢一盗（抢劫、抢夺、盗窃、入室盗窃）· 门牌安装于 {report.PlateDate:yyyy-MM-dd} · 前后各 {report.Months} 个月对比", Margin, y, 3.2f, colour: Muted);

        y += 9;
        var beforeText = $"安装前 {MonthLabel(report.BeforeFrom)} 至 {MonthLabel(report.BeforeTo)}：{report.Before} 起";
        var afterText = $"安装后 {MonthLabel(report.AfterFrom)} 至 {MonthLabel(report.AfterTo)}：{report.After} 起";
        Text(canvas, fonts, beforeText, Margin, y, 3.8f);
        Text(canvas, fonts, afterText, Margin, y + 6, 3.8f);
        Text(canvas, fonts, $"变化 {Pct(report.PercentChange)}", PageWidth - Margin, y + 3, 6, bold: true,
            colour: report.PercentChange < 0 ? SKColor.Parse("#1b7f3b") : SKColor.Parse("#b2182b"), align: SKTextAlign.Right);

        y += 15;
        Text(canvas, fonts, "每月两抢一盗案件数", Margin, y, 3.8f, bold: true);
        canvas.Save();
        canvas.Translate(Margin, y + 2);
        DrawChart(canvas, report, fonts, SKRect.Create(ChartWidth, ChartHeight));
        canvas.Restore();

        y += ChartHeight + 8;
        Text(canvas, fonts, $"案件热点（Getis-Ord Gi*，{report.Hotspots.Request.CellSize:0} 米格网，{MonthLabel(report.BeforeFrom)} 至 {MonthLabel(report.AfterTo)}）", Margin, y, 3.8f, bold: true);
        canvas.Save();
        canvas.Translate(Margin, y + 2);
        DrawMap(canvas, report, fonts, SKRect.Create(MapWidth, MapHeight));
        canvas.Restore();

        y += MapHeight + 8;
        Text(canvas, fonts, $"热点内案件最多的 {PilotReport.TopBuildings} 栋楼（在住人数为统计数，不含个人信息）", Margin, y, 3.8f, bold: true);
        DrawBuildings(canvas, report, fonts, y + 2);

        Text(canvas, fonts, $"生成于 {report.GeneratedAt.ToOffset(ChinaTime.Offset):yyyy-MM-dd HH:mm}（北京时间）· 每次导出均记入审计日志 · 智慧门牌 SmartDoorplate",
            PageWidth / 2, PageHeight - 7, 2.6f, colour: Muted, align: SKTextAlign.Center);
    }

    public static void DrawChart(SKCanvas canvas, PilotReport report, PlateFonts fonts, SKRect area)
    {
        var months = report.Monthly;
        var left = area.Left + 8;
        var bottom = area.Bottom - 9;
        var top = area.Top + 5;
        var width = area.Right - left;
        var max = Math.Max(1, months.Count == 0 ? 1 : months.Max(m => m.Count));
        var step = NiceStep(max);
        var axisMax = (int)Math.Ceiling(max / (double)step) * step;
        float Y(double value) => bottom - (float)(value / axisMax) * (bottom - top);

        using var axis = new SKPaint { Color = Muted, StrokeWidth = 0.2f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        using var gridLine = new SKPaint { Color = SKColor.Parse("#e0e0e0"), StrokeWidth = 0.15f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        for (var v = 0; v <= axisMax; v += step)
        {
            canvas.DrawLine(left, Y(v), area.Right, Y(v), v == 0 ? axis : gridLine);
            Text(canvas, fonts, v.ToString(CultureInfo.InvariantCulture), left - 1.5f, Y(v) + 0.9f, 2.4f, colour: Muted, align: SKTextAlign.Right);
        }

        var slot = months.Count == 0 ? width : width / months.Count;
        using var beforeBar = new SKPaint { Color = BeforeColour, IsAntialias = true };
        using var afterBar = new SKPaint { Color = AfterColour, IsAntialias = true };
        for (var i = 0; i < months.Count; i++)
        {
            var m = months[i];
            var x = left + i * slot + slot * 0.15f;
            canvas.DrawRect(x, Y(m.Count), slot * 0.7f, bottom - Y(m.Count), m.AfterPlates ? afterBar : beforeBar);
            Text(canvas, fonts, m.Count.ToString(CultureInfo.InvariantCulture), x + slot * 0.35f, Y(m.Count) - 0.8f, 2.2f, align: SKTextAlign.Center);
            var label = m.Month.Month == 1 || i == 0 ? $"{m.Month.Year % 100:00}年{m.Month.Month}月" : $"{m.Month.Month}月";
            Text(canvas, fonts, label, x + slot * 0.35f, bottom + 3.2f, months.Count > 18 ? 1.9f : 2.4f, colour: Muted, align: SKTextAlign.Center);
        }

        // The plate date: where the blue bars begin.
        var plateIndex = months.ToList().FindIndex(m => m.AfterPlates);
        if (plateIndex >= 0)
        {
            var x = left + plateIndex * slot;
            using var marker = new SKPaint
            {
                Color = SKColor.Parse("#b2182b"), StrokeWidth = 0.3f, Style = SKPaintStyle.Stroke, IsAntialias = true,
                PathEffect = SKPathEffect.CreateDash([1.2f, 0.8f], 0),
            };
            canvas.DrawLine(x, top - 2, x, bottom, marker);
            Text(canvas, fonts, "门牌安装", x + 1, top - 0.5f, 2.4f, colour: SKColor.Parse("#b2182b"));
        }

        // Legend, bottom right.
        var ly = area.Bottom - 1.5f;
        canvas.DrawRect(area.Right - 52, ly - 2.2f, 3, 2.4f, beforeBar);
        Text(canvas, fonts, $"安装前（共 {report.Before} 起）", area.Right - 48, ly, 2.4f);
        canvas.DrawRect(area.Right - 24, ly - 2.2f, 3, 2.4f, afterBar);
        Text(canvas, fonts, $"安装后（共 {report.After} 起）", area.Right - 20, ly, 2.4f);
    }

    public static void DrawMap(SKCanvas canvas, PilotReport report, PlateFonts fonts, SKRect area)
    {
        const float legendWidth = 30;
        var mapArea = new SKRect(area.Left, area.Top, area.Right - legendWidth - 3, area.Bottom);
        var envelope = report.Hotspots.ProjectedArea.EnvelopeInternal;
        var half = report.Hotspots.Request.CellSize / 2;
        envelope.ExpandBy(half);
        var scale = (float)Math.Min(mapArea.Width / envelope.Width, mapArea.Height / envelope.Height);
        var offsetX = mapArea.Left + (mapArea.Width - (float)envelope.Width * scale) / 2;
        var offsetY = mapArea.Top + (mapArea.Height - (float)envelope.Height * scale) / 2;
        SKPoint P(double x, double y) => new(offsetX + (float)(x - envelope.MinX) * scale, offsetY + (float)(envelope.MaxY - y) * scale);

        using var frame = new SKPaint { Color = SKColor.Parse("#cccccc"), StrokeWidth = 0.2f, Style = SKPaintStyle.Stroke };
        canvas.DrawRect(mapArea, frame);
        var colours = Classes.ToDictionary(c => c.Class, c => c.Colour);
        using var fill = new SKPaint { IsAntialias = false, Style = SKPaintStyle.Fill };
        foreach (var cell in report.Hotspots.Cells)
        {
            fill.Color = colours.GetValueOrDefault(cell.ClassName, colours["not_significant"]);
            var a = P(cell.X - half, cell.Y + half);
            var b = P(cell.X + half, cell.Y - half);
            // A hair of overlap so that no white seams show between cells in PDF viewers.
            canvas.DrawRect(new SKRect(a.X, a.Y, b.X + 0.05f, b.Y + 0.05f), fill);
        }

        using var outline = new SKPaint { Color = SKColor.Parse("#333333"), StrokeWidth = 0.25f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        using var labelPaint = new SKPaint { Color = Ink, IsAntialias = true };
        foreach (var grid in report.Grids)
        {
            using var builder = new SKPathBuilder();
            foreach (var polygon in Polygons(grid.Boundary))
            {
                AddRing(builder, polygon.ExteriorRing, P);
                foreach (var hole in polygon.InteriorRings) AddRing(builder, hole, P);
            }
            using var path = builder.Detach();
            canvas.DrawPath(path, outline);
            var centre = grid.Boundary.InteriorPoint;
            var label = grid.Code.Length > 2 ? grid.Code[^2..] : grid.Code;
            var at = P(centre.X, centre.Y);
            Text(canvas, fonts, label, at.X, at.Y + 0.8f, 2.2f, colour: Muted, align: SKTextAlign.Center);
        }

        var lx = area.Right - legendWidth;
        var ly = area.Top + 4;
        Text(canvas, fonts, "图例", lx, ly, 2.8f, bold: true);
        foreach (var (cls, colour, label) in Classes)
        {
            ly += 4.5f;
            fill.Color = colour;
            canvas.DrawRect(lx, ly - 2.6f, 4, 3, fill);
            canvas.DrawRect(lx, ly - 2.6f, 4, 3, frame);
            var count = report.Hotspots.Cells.Count(c => c.ClassName == cls);
            Text(canvas, fonts, $"{label}（{count} 格）", lx + 5.5f, ly, 2.4f);
        }
        ly += 6;
        canvas.DrawLine(lx, ly - 1, lx + 4, ly - 1, outline);
        Text(canvas, fonts, "网格边界（编号）", lx + 5.5f, ly, 2.4f);
        ly += 5;
        Text(canvas, fonts, $"案件 {report.Hotspots.Events} 起", lx, ly, 2.4f, colour: Muted);
        Text(canvas, fonts, "坐标 UTM 48N，上为北", lx, ly + 4, 2.4f, colour: Muted);
    }

    private static void DrawBuildings(SKCanvas canvas, PilotReport report, PlateFonts fonts, float top)
    {
        float[] columns = [Margin, Margin + 10, Margin + 100, Margin + 128, Margin + 146, Margin + 164];
        string[] headers = ["排名", "楼栋地址", "网格", "案件数", "在住人数", "每千人"];
        using var rule = new SKPaint { Color = SKColor.Parse("#999999"), StrokeWidth = 0.2f, Style = SKPaintStyle.Stroke };
        var y = top + 4;
        for (var i = 0; i < headers.Length; i++) Text(canvas, fonts, headers[i], columns[i], y, 2.8f, bold: true);
        canvas.DrawLine(Margin, y + 1.3f, PageWidth - Margin, y + 1.3f, rule);
        if (report.HotBuildings.Count == 0)
        {
            Text(canvas, fonts, "统计期内没有位于热点网格内的楼栋。", Margin, y + 6, 2.8f, colour: Muted);
            return;
        }
        var rank = 0;
        foreach (var b in report.HotBuildings)
        {
            y += 5.2f;
            rank++;
            Text(canvas, fonts, rank.ToString(CultureInfo.InvariantCulture), columns[0], y, 2.8f);
            Text(canvas, fonts, Fit(fonts, b.Address, 2.8f, columns[2] - columns[1] - 2), columns[1], y, 2.8f);
            Text(canvas, fonts, b.GridCode.Length > 2 ? b.GridCode[^2..] : b.GridCode, columns[2], y, 2.8f);
            Text(canvas, fonts, b.Cases.ToString(CultureInfo.InvariantCulture), columns[3], y, 2.8f);
            Text(canvas, fonts, b.Residents.ToString(CultureInfo.InvariantCulture), columns[4], y, 2.8f);
            Text(canvas, fonts, b.RatePer1000 is { } r ? r.ToString("0", CultureInfo.InvariantCulture) : "—", columns[5], y, 2.8f);
        }
    }

    private static string Fit(PlateFonts fonts, string text, float size, float width)
    {
        if (fonts.Measure(text, size, bold: false) <= width) return text;
        while (text.Length > 1 && fonts.Measure(text + "…", size, bold: false) > width) text = text[..^1];
        return text + "…";
    }

    private static int NiceStep(int max) => max <= 10 ? 2 : max <= 25 ? 5 : max <= 60 ? 10 : max <= 150 ? 25 : 50;

    private static IEnumerable<Polygon> Polygons(Geometry geometry) => geometry switch
    {
        Polygon p => [p],
        MultiPolygon mp => mp.Geometries.Cast<Polygon>(),
        _ => [],
    };

    private static void AddRing(SKPathBuilder path, LineString ring, Func<double, double, SKPoint> project)
    {
        var coordinates = ring.Coordinates;
        if (coordinates.Length == 0) return;
        path.MoveTo(project(coordinates[0].X, coordinates[0].Y));
        for (var i = 1; i < coordinates.Length; i++) path.LineTo(project(coordinates[i].X, coordinates[i].Y));
        path.Close();
    }

    private static void Text(SKCanvas canvas, PlateFonts fonts, string text, float x, float y, float size,
        bool bold = false, SKColor? colour = null, SKTextAlign align = SKTextAlign.Left)
    {
        if (text.Length == 0) return;
        using var font = new SKFont(bold ? fonts.Bold : fonts.Regular, size) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None };
        using var paint = new SKPaint { Color = colour ?? Ink, IsAntialias = true };
        var width = font.MeasureText(text);
        var left = align switch { SKTextAlign.Center => x - width / 2, SKTextAlign.Right => x - width, _ => x };
        using var blob = TextWithClusters(text, font);
        canvas.DrawText(blob, left, y, paint);
    }

    // Glyphs together with their UTF-8 text and clusters. Noto CJK maps 一 (U+4E00) and the Kangxi
    // radical ⼀ (U+2F00) to one glyph, and Skia's PDF ToUnicode picks the lowest code point, so text
    // drawn from glyphs alone copies and searches as radicals (⻔牌 for 门牌); with the text attached,
    // Skia writes /ActualText and pdftotext, search and copy read what was written.
    private static SKTextBlob TextWithClusters(string text, SKFont font)
    {
        var glyphs = font.GetGlyphs(text);
        var positions = font.GetGlyphPositions(text, new SKPoint(0, 0));
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        var clusters = new uint[glyphs.Length];
        var offset = 0u;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (index < clusters.Length) clusters[index++] = offset;
            offset += (uint)rune.Utf8SequenceLength;
        }
        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocatePositionedTextRun(font, glyphs.Length, utf8.Length, null);
        run.SetGlyphs(glyphs);
        run.SetPositions(positions);
        run.SetText(utf8);
        run.SetClusters(clusters);
        return builder.Build() ?? throw new InvalidOperationException("Skia could not build the text");
    }
}
