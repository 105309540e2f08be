using System.Globalization;

namespace SmartDoorplate.Doorplates.Printing;

public readonly record struct PlateColor(byte R, byte G, byte B)
{
    public string Hex => $"#{R:X2}{G:X2}{B:X2}";
}

public enum PlateAnchor { Start, Middle }

public abstract record PlateElement;
public sealed record PlateBox(float X, float Y, float Width, float Height, float CornerRadius, PlateColor? Fill, PlateColor? Stroke = null, float StrokeWidth = 0) : PlateElement;
public sealed record PlateLine(float X1, float Y1, float X2, float Y2, PlateColor Color, float Width) : PlateElement;
public sealed record PlateText(string Text, float X, float Baseline, float Size, bool Bold, PlateAnchor Anchor, PlateColor Color) : PlateElement;
public sealed record PlateQr(QrSymbol Symbol, float X, float Y, float ModuleSize, PlateColor Dark) : PlateElement;

// The standard plate: 300 × 200 mm, the common size of a Chinese building doorplate (门牌), blue with
// white characters as on the street signs of GB 17733, the QR on a white panel so that it reads as
// dark-on-light. All units are millimetres; the SVG uses them as is, Skia scales them to pixels or points.
// Every building gets the same template: nothing on it depends on how the building is used.
public static class PlateLayout
{
    public const float Width = 300;
    public const float Height = 200;
    public const string CallToAction = "扫码登记 · 流动人口居住登记";

    private static readonly PlateColor Blue = new(0x0B, 0x4E, 0xA2);
    private static readonly PlateColor White = new(0xFF, 0xFF, 0xFF);
    private static readonly PlateColor Ink = new(0x10, 0x18, 0x28);
    private static readonly PlateColor PanelGrey = new(0x4A, 0x55, 0x68);

    private const float Left = 14;
    private const float TextWidth = 168;            // from Left to just before the QR panel
    private const float PanelX = 190, PanelY = 14, PanelWidth = 96, PanelHeight = 132;
    private const float QrSide = 88;                // quiet zone included: 2.1 mm modules for a version-4 symbol
    private const float PanelCentre = PanelX + PanelWidth / 2;

    // The parts that are the same on every plate, shared rather than rebuilt per plate.
    private static readonly PlateElement[] Frame =
    [
        new PlateBox(0, 0, Width, Height, 0, Blue),
        new PlateBox(5, 5, Width - 10, Height - 10, 4, null, White, 1.2f),
        new PlateBox(PanelX, PanelY, PanelWidth, PanelHeight, 3, White),
        new PlateLine(Left, 154, Width - Left, 154, White, 0.6f),
    ];

    public static List<PlateElement> Compose(PlateFace face, string scanLink, PlateFonts fonts)
    {
        var qr = QrSymbol.Encode(scanLink);
        var elements = new List<PlateElement>(Frame.Length + 10);
        elements.AddRange(Frame);

        PlateText Fit(string text, float x, float baseline, float size, bool bold, float maxWidth, PlateAnchor anchor, PlateColor color)
        {
            // Long road names shrink to fit the line instead of running into the QR panel.
            var width = fonts.Measure(text, size, bold);
            var fitted = width > maxWidth ? size * maxWidth / width : size;
            return new PlateText(text, x, baseline, MathF.Round(fitted, 2), bold, anchor, color);
        }

        var locality = string.Join(' ', new[] { face.DistrictName, face.Street, face.Community }.Where(s => s.Length > 0));
        elements.Add(Fit(locality, Left, 25, 9, false, TextWidth, PlateAnchor.Start, White));
        elements.Add(Fit(face.Road, Left, 66, 30, true, TextWidth, PlateAnchor.Start, White));
        elements.Add(Fit(face.Number, Left, 118, 46, true, TextWidth, PlateAnchor.Start, White));
        elements.Add(Fit(face.FullAddress, Left, 134, 6.5f, false, TextWidth, PlateAnchor.Start, White));
        elements.Add(Fit("楼栋编码 " + face.BuildingCode, Left, 145, 5.5f, false, TextWidth, PlateAnchor.Start, White));

        elements.Add(new PlateQr(qr, PanelX + (PanelWidth - QrSide) / 2, PanelY + 4, QrSide / qr.Size, Ink));
        elements.Add(Fit("门牌码", PanelCentre, 115, 4.5f, false, PanelWidth - 8, PlateAnchor.Middle, PanelGrey));
        elements.Add(Fit(GroupedCode(face.Code), PanelCentre, 127, 6.5f, true, PanelWidth - 8, PlateAnchor.Middle, Ink));
        elements.Add(Fit(string.Create(CultureInfo.InvariantCulture, $"第 {face.Version} 版"), PanelCentre, 139, 4.5f, false, PanelWidth - 8, PlateAnchor.Middle, PanelGrey));

        elements.Add(Fit(CallToAction, Left, 172, 11, true, Width - 2 * Left, PlateAnchor.Start, White));
        elements.Add(Fit($"{face.StationName}  服务电话 {face.StationHotline}", Left, 187, 7, false, Width - 2 * Left, PlateAnchor.Start, White));
        return elements;
    }

    // Read aloud or typed from a photo in groups of four; DoorplateCode.Normalize drops the hyphens.
    public static string GroupedCode(string code) =>
        code.Length == DoorplateCode.Length ? $"{code[..4]}-{code[4..8]}-{code[8..12]}-{code[12..]}" : code;
}
