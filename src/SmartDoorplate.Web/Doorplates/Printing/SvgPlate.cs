using System.Globalization;
using System.Text;

namespace SmartDoorplate.Doorplates.Printing;

// SVG in millimetres, for sign makers (they cut vinyl or print aluminium from vectors) and for the web.
// Text stays text (searchable, sharp at any size); the QR is one path of module runs.
public static class SvgPlate
{
    public static string Plate(IReadOnlyList<PlateElement> elements, string title)
    {
        var svg = new StringBuilder(16 * 1024);
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{PlateLayout.Width}mm" height="{PlateLayout.Height}mm" viewBox="0 0 {PlateLayout.Width} {PlateLayout.Height}">""");
        svg.Append("<title>").Append(Escape(title)).Append("</title>");
        svg.Append("<g font-family=\"").Append(Escape(PlateFonts.CssFontFamily)).Append("\">");
        foreach (var element in elements)
        {
            switch (element)
            {
                case PlateBox box:
                    svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(box.X)}" y="{N(box.Y)}" width="{N(box.Width)}" height="{N(box.Height)}" """);
                    if (box.CornerRadius > 0) svg.Append(CultureInfo.InvariantCulture, $"""rx="{N(box.CornerRadius)}" """);
                    svg.Append("fill=\"").Append(box.Fill?.Hex ?? "none").Append('"');
                    if (box.Stroke is { } stroke) svg.Append(CultureInfo.InvariantCulture, $""" stroke="{stroke.Hex}" stroke-width="{N(box.StrokeWidth)}" """);
                    svg.Append("/>");
                    break;
                case PlateLine line:
                    svg.Append(CultureInfo.InvariantCulture,
                        $"""<line x1="{N(line.X1)}" y1="{N(line.Y1)}" x2="{N(line.X2)}" y2="{N(line.Y2)}" stroke="{line.Color.Hex}" stroke-width="{N(line.Width)}"/>""");
                    break;
                case PlateText text:
                    svg.Append(CultureInfo.InvariantCulture,
                        $"""<text x="{N(text.X)}" y="{N(text.Baseline)}" font-size="{N(text.Size)}" font-weight="{(text.Bold ? 700 : 400)}" fill="{text.Color.Hex}"{(text.Anchor == PlateAnchor.Middle ? " text-anchor=\"middle\"" : "")}>""");
                    svg.Append(Escape(text.Text)).Append("</text>");
                    break;
                case PlateQr qr:
                    svg.Append(CultureInfo.InvariantCulture, $"""<g transform="translate({N(qr.X)} {N(qr.Y)}) scale({N(qr.ModuleSize)})">""");
                    AppendModules(svg, qr.Symbol, qr.Dark);
                    svg.Append("</g>");
                    break;
            }
        }
        return svg.Append("</g></svg>").ToString();
    }

    // The bare QR, 10 px a module by default (zoomable: it is a vector), white quiet zone included.
    public static string Qr(QrSymbol symbol)
    {
        var svg = new StringBuilder(8 * 1024);
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{symbol.Size * 10}" height="{symbol.Size * 10}" viewBox="0 0 {symbol.Size} {symbol.Size}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{symbol.Size}" height="{symbol.Size}" fill="#FFFFFF"/>""");
        AppendModules(svg, symbol, new PlateColor(0, 0, 0));
        return svg.Append("</svg>").ToString();
    }

    private static void AppendModules(StringBuilder svg, QrSymbol symbol, PlateColor dark)
    {
        // crispEdges: no anti-aliased seams where rectangles touch.
        svg.Append("<path fill=\"").Append(dark.Hex).Append("\" shape-rendering=\"crispEdges\" d=\"");
        for (var i = 0; i < symbol.RectCount; i++)
        {
            var (column, row, width, height) = symbol.Rect(i);
            svg.Append(CultureInfo.InvariantCulture, $"M{column} {row}h{width}v{height}h-{width}z");
        }
        svg.Append("\"/>");
    }

    private static string N(float value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";
}
