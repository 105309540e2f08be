using System.Globalization;
using SmartDoorplate.Cli;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Policing;

// The analysts' verbs against reference output of R (spdep::localG, quartic KDE); see
// TestData/hotspots, copied from the shared fixtures with their README.
public sealed class HotspotCommandTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "hotspots", name);

    private static List<double[]> ReadCsv(string path, out string header)
    {
        var lines = File.ReadAllLines(path);
        header = lines[0];
        return lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
    }

    private static string InputOnly(string fixture)
    {
        // Strip the reference columns, so the verb sees only what an analyst would give it.
        var path = Path.Combine(Path.GetTempPath(), $"gistar-in-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, File.ReadAllLines(Fixture(fixture)).Select(l => string.Join(',', l.Split(',').Take(3))));
        return path;
    }

    [Theory]
    [InlineData("grid30-cell100-band150.csv", 150)]
    [InlineData("circle50-cell200-band450.csv", 450)]
    public async Task GiStarVerbReproducesSpdepZScoresAndPValues(string fixture, double band)
    {
        var input = InputOnly(fixture);
        var output = Path.Combine(Path.GetTempPath(), $"gistar-out-{Guid.NewGuid():N}.csv");

        var exit = await CommandLineVerbs.RunAsync(app.Services, ["gistar", "--input", input, "--band", band.ToString(CultureInfo.InvariantCulture), "-o", output]);

        Assert.Equal(0, exit);
        var expected = ReadCsv(Fixture(fixture), out _);
        var actual = ReadCsv(output, out var header);
        Assert.Equal("x,y,value,z,p", header);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i][..3], actual[i][..3]); // input order and values kept
            Assert.Equal(expected[i][3], actual[i][3], 1e-9);
            Assert.Equal(expected[i][4], actual[i][4], 1e-9);
        }
    }

    [Fact]
    public async Task KdeVerbReproducesTheReferenceDensitiesOnTheAlignedGrid()
    {
        var output = Path.Combine(Path.GetTempPath(), $"kde-out-{Guid.NewGuid():N}.csv");

        var exit = await CommandLineVerbs.RunAsync(app.Services, ["kde", "--input", Fixture("kde-points-60.csv"), "--bandwidth", "250", "--cell", "100", "-o", output]);

        Assert.Equal(0, exit);
        var expected = ReadCsv(Fixture("kde-points-60-h250-cell100.csv"), out _);
        var actual = ReadCsv(output, out var header);
        Assert.Equal("x,y,density", header);
        Assert.Equal(expected.Count, actual.Count);
        var expectedByCell = expected.ToDictionary(r => (r[0], r[1]), r => r[2]);
        foreach (var row in actual)
        {
            var reference = expectedByCell[(row[0], row[1])];
            // The fixture's points carry 6 decimals while R used full precision: up to ~3e-7 relative
            // difference is rounding of the input, not the method (the library tests bound it exactly).
            if (reference == 0) Assert.Equal(0, row[2], 1e-15);
            else Assert.True(Math.Abs(row[2] - reference) / reference < 1e-6, $"{row[2]} vs {reference} at ({row[0]}, {row[1]})");
        }
    }

    [Fact]
    public async Task ABadRowIsReportedByLineAndNothingIsWritten()
    {
        var input = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(input, ["x,y,value", "1,2,3", "4,five,6", "7,8,9"]);
        var output = Path.Combine(Path.GetTempPath(), $"bad-out-{Guid.NewGuid():N}.csv");
        var error = new StringWriter();
        var originalError = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = await CommandLineVerbs.RunAsync(app.Services, ["gistar", "--input", input, "--band", "10", "-o", output]);
        }
        finally
        {
            Console.SetError(originalError);
        }

        Assert.NotEqual(0, exit);
        Assert.Contains("line 3", error.ToString());
        Assert.False(File.Exists(output));
    }
}
