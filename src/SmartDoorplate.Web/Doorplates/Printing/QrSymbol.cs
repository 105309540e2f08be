using QRCoder;

namespace SmartDoorplate.Doorplates.Printing;

// A QR symbol as rectangles of dark modules, quiet zone included: runs along each row, merged with the
// identical run of the row above. Every renderer draws these (SVG path segments, Skia rectangles):
// about two hundred shapes per symbol instead of a bitmap, and in a PDF each is one `re` operator.
public sealed class QrSymbol
{
    // Q recovers from 25% damage: plates hang outdoors for years (dirt, scratches, sun, a bent corner).
    public const QRCodeGenerator.ECCLevel ErrorCorrection = QRCodeGenerator.ECCLevel.Q;
    public const int QuietZoneModules = 4;

    // (column, row, width, height) quadruples, in modules.
    private readonly int[] rects;

    public string Text { get; }
    public int Size { get; }
    public int RectCount => rects.Length / 4;

    private QrSymbol(string text, int size, int[] rects)
    {
        Text = text;
        Size = size;
        this.rects = rects;
    }

    public static QrSymbol Encode(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, ErrorCorrection);
        // QRCoder's matrix already carries the 4-module quiet zone on every side.
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        var found = new List<int>(size * size / 3);
        // Per row: start column and width of each run, and which rectangle it extends (-1: new).
        var open = new Dictionary<(int Column, int Width), int>();
        var stillOpen = new Dictionary<(int Column, int Width), int>();
        for (var row = 0; row < size; row++)
        {
            var bits = matrix[row];
            var column = 0;
            while (column < size)
            {
                if (!bits[column]) { column++; continue; }
                var start = column;
                while (column < size && bits[column]) column++;
                var key = (start, column - start);
                if (open.TryGetValue(key, out var index))
                {
                    found[index + 3]++;
                }
                else
                {
                    index = found.Count;
                    found.AddRange([start, row, column - start, 1]);
                }
                stillOpen[key] = index;
            }
            (open, stillOpen) = (stillOpen, open);
            stillOpen.Clear();
        }
        return new QrSymbol(text, size, [.. found]);
    }

    public (int Column, int Row, int Width, int Height) Rect(int index) =>
        (rects[index * 4], rects[index * 4 + 1], rects[index * 4 + 2], rects[index * 4 + 3]);
}
