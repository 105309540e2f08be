using SkiaSharp;

namespace SmartDoorplate.Doorplates.Printing;

// The one CJK typeface of every plate, loaded once per process: opening a .ttc and building its glyph
// cache is the expensive part of drawing text, so PNGs, PDFs and the SVG layout all share it.
// The SVG names the same family, so a viewer with Noto Sans CJK SC shows exactly the measured layout.
public sealed class PlateFonts : IDisposable
{
    public const string FamilyName = "Noto Sans CJK SC";
    public const string CssFontFamily = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

    // Debian's fonts-noto-cjk (scripts/lib/common.sh installs it).
    private const string FontDirectory = "/usr/share/fonts/opentype/noto";
    private const string RegularFile = "NotoSansCJK-Regular.ttc";
    private const string BoldFile = "NotoSansCJK-Bold.ttc";

    private readonly Lock measureLock = new();
    private readonly SKFont regularMeasure;
    private readonly SKFont boldMeasure;
    private const float MeasureSize = 100f;

    public SKTypeface Regular { get; }
    public SKTypeface Bold { get; }

    public PlateFonts()
    {
        Regular = Load(RegularFile, SKFontStyle.Normal);
        Bold = Load(BoldFile, SKFontStyle.Bold);
        regularMeasure = new SKFont(Regular, MeasureSize) { LinearMetrics = true, Hinting = SKFontHinting.None, Subpixel = true };
        boldMeasure = new SKFont(Bold, MeasureSize) { LinearMetrics = true, Hinting = SKFontHinting.None, Subpixel = true };
    }

    // Advance width in the same unit as size (mm on a plate). Measured once at a reference size and
    // scaled: without hinting, widths are linear in the size.
    public float Measure(string text, float size, bool bold)
    {
        lock (measureLock)
        {
            return (bold ? boldMeasure : regularMeasure).MeasureText(text) * size / MeasureSize;
        }
    }

    private static SKTypeface Load(string file, SKFontStyle style)
    {
        var path = Path.Combine(FontDirectory, file);
        if (File.Exists(path))
        {
            // A .ttc holds the JP, KR, SC, TC and HK faces; only SC has the mainland glyph forms.
            for (var index = 0; index < 10; index++)
            {
                var face = SKTypeface.FromFile(path, index);
                if (face is null) break;
                if (face.FamilyName == FamilyName) return face;
                face.Dispose();
            }
        }
        // Elsewhere (another distribution, a container with the font in another folder) ask fontconfig.
        var matched = SKFontManager.Default.MatchFamily(FamilyName, style);
        if (matched is not null && matched.FamilyName == FamilyName) return matched;
        matched?.Dispose();
        throw new InvalidOperationException(
            $"The Chinese font {FamilyName} was not found ({path}): install the Debian package fonts-noto-cjk " +
            "(apt-get install fonts-noto-cjk; scripts/run.sh does this). 找不到门牌所需的中文字体。");
    }

    public void Dispose()
    {
        regularMeasure.Dispose();
        boldMeasure.Dispose();
        Regular.Dispose();
        Bold.Dispose();
    }
}
