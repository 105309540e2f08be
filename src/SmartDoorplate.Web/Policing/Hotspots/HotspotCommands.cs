using System.CommandLine;
using System.Globalization;
using System.Text;
using SmartDoorplate.Analytics.Hotspots;
using SmartDoorplate.Cli;
using SmartDoorplate.Data;

namespace SmartDoorplate.Policing.Hotspots;

// `gistar` and `kde` for analysts: plain CSV in projected metres (EPSG:32648) in and out, so a result
// can be compared line by line with R's spdep::localG or sfhotspot, or PySAL's esda.
public static class HotspotCommands
{
    public static Command GiStarCommand()
    {
        var input = new Option<FileInfo>("--input") { Description = "CSV with header x,y,value (metres)", Required = true };
        var band = new Option<double>("--band") { Description = "distance band in metres (inclusive; the cell itself included)", Required = true };
        var output = new Option<FileInfo>("-o", "--output") { Description = "CSV x,y,value,z,p in the input order", Required = true };
        var command = new Command("gistar", "Getis-Ord Gi* with binary distance-band weights, as spdep::localG with include.self.") { input, band, output };
        command.SetAction(async (parseResult, ct) =>
        {
            var distanceBand = parseResult.GetValue(band);
            if (!double.IsFinite(distanceBand) || distanceBand <= 0) throw new CommandFailedException("--band must be a positive number of metres");
            var points = ReadPoints(parseResult.GetValue(input)!);
            if (points.X.Length < 3) throw new CommandFailedException("Gi* needs at least 3 rows");
            var result = GiStar.Compute(points.X, points.Y, points.Values, distanceBand);
            await WriteAsync(parseResult.GetValue(output)!, "x,y,value,z,p", points.X.Length,
                i => [points.Raw[i].X, points.Raw[i].Y, points.Raw[i].Value, Format(result.ZScores[i]), Format(result.PValues[i])], ct);
            Console.WriteLine($"gistar: {points.X.Length} rows, band {Format(distanceBand)} m → {parseResult.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }

    public static Command KdeCommand()
    {
        var input = new Option<FileInfo>("--input") { Description = "CSV with header x,y,value (metres; value is the event weight)", Required = true };
        var bandwidth = new Option<double?>("--bandwidth") { Description = "kernel radius h in metres (default: sfhotspot's rule)" };
        var cell = new Option<double>("--cell") { Description = "cell size in metres; cells align to multiples of it", Required = true };
        var output = new Option<FileInfo>("-o", "--output") { Description = "CSV x,y,density (events per m²) at cell centres", Required = true };
        var command = new Command("kde", "Quartic kernel density, K(d) = (1 − d²/h²)² × 3/(πh²), at the centres of a square grid.") { input, bandwidth, cell, output };
        command.SetAction(async (parseResult, ct) =>
        {
            var cellSize = parseResult.GetValue(cell);
            if (!double.IsFinite(cellSize) || cellSize <= 0) throw new CommandFailedException("--cell must be a positive number of metres");
            var points = ReadPoints(parseResult.GetValue(input)!);
            if (points.X.Length == 0) throw new CommandFailedException("the input has no rows");
            var h = parseResult.GetValue(bandwidth) ?? QuarticKde.SfhotspotDefaultBandwidth(points.X);
            if (!double.IsFinite(h) || h <= 0) throw new CommandFailedException($"the bandwidth must be a positive number of metres, not {Format(h)}");
            var grid = SquareGrid.Cover(points.X.Min(), points.Y.Min(), points.X.Max(), points.Y.Max(), cellSize);
            if (grid.Cells.Length > 50_000_000) throw new CommandFailedException($"{grid.Cells.Length} cells is too many; use a larger --cell");
            var densities = QuarticKde.Densities(points.X, points.Y, points.Values, grid.CentreX.AsSpan(), grid.CentreY.AsSpan(), h);
            await WriteAsync(parseResult.GetValue(output)!, "x,y,density", densities.Length,
                i => [Format(grid.CentreX[i]), Format(grid.CentreY[i]), Format(densities[i])], ct);
            Console.WriteLine($"kde: {points.X.Length} events, h {Format(h)} m, {densities.Length} cells of {Format(cellSize)} m → {parseResult.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }

    private sealed record InputPoints(double[] X, double[] Y, double[] Values, (string X, string Y, string Value)[] Raw);

    // Every bad line is reported (by number) before anything is computed.
    private static InputPoints ReadPoints(FileInfo file)
    {
        CsvFile csv;
        try
        {
            csv = CsvFile.Open(file.FullName, "x", "y", "value");
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            throw new CommandFailedException(ex.Message);
        }

        using (csv)
        {
            var x = new List<double>();
            var y = new List<double>();
            var values = new List<double>();
            var raw = new List<(string, string, string)>();
            try
            {
                while (csv.Read())
                {
                    var (px, py, pv) = (csv.Number("x"), csv.Number("y"), csv.Number("value"));
                    if (px is null || py is null || pv is null) continue;
                    x.Add(px.Value);
                    y.Add(py.Value);
                    values.Add(pv.Value);
                    // The input's own text goes back out, so the output matches it byte for byte.
                    raw.Add((csv.Text("x")!, csv.Text("y")!, csv.Text("value")!));
                }
            }
            catch (InvalidDataException ex)
            {
                throw new CommandFailedException(ex.Message);
            }

            if (csv.ProblemCount > 0)
            {
                foreach (var problem in csv.Problems) Console.Error.WriteLine(problem);
                throw new CommandFailedException($"{file.Name}: {csv.ProblemCount} bad values; nothing was computed");
            }
            return new InputPoints([.. x], [.. y], [.. values], [.. raw]);
        }
    }

    private static async Task WriteAsync(FileInfo output, string header, int rows, Func<int, string[]> row, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output.FullName, append: false, new UTF8Encoding(false));
        await writer.WriteLineAsync(header);
        for (var i = 0; i < rows; i++) await writer.WriteLineAsync(string.Join(',', row(i)));
        await writer.FlushAsync(ct);
    }

    // Shortest round-trip form ("R" semantics); NaN (undefined z, as R gives NaN) is written "NaN" like R.
    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
