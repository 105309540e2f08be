using System.Globalization;

namespace SmartDoorplate.Analytics.Tests.Hotspots;

/// <summary>
/// A CSV from Fixtures/hotspots (copied from /work/shared/fixtures/hotspots; see the README.md
/// there for how R produced each file), read as named numeric columns.
/// </summary>
internal sealed class HotspotFixture
{
    private readonly Dictionary<string, double[]> columns;

    private HotspotFixture(Dictionary<string, double[]> columns, int rowCount)
    {
        this.columns = columns;
        RowCount = rowCount;
    }

    public int RowCount { get; }

    public double[] this[string column] => columns[column];

    public static HotspotFixture Load(string fileName)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hotspots", fileName));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).ToArray();
        var columns = new Dictionary<string, double[]>();
        for (var c = 0; c < header.Length; c++)
        {
            columns[header[c]] = rows.Select(row => double.Parse(row[c], CultureInfo.InvariantCulture)).ToArray();
        }

        return new HotspotFixture(columns, rows.Length);
    }
}
