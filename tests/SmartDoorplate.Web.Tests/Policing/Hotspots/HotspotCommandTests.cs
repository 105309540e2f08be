using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SmartDoorplate.Cli;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Policing.Hotspots;

// The analysts' verbs against reference output of R (spdep::localG, quartic KDE): the fixtures in
// TestData/hotspots (how R made each: tests/SmartDoorplate.Analytics.Tests/Fixtures/hotspots/README.md),
// and spdep itself, run here on a random input nobody has seen before.
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
    public async Task KdeVerbMatchesTheFullPrecisionRReferenceToOnePartInATrillion()
    {
        var output = Path.Combine(Path.GetTempPath(), $"kde-out-{Guid.NewGuid():N}.csv");

        var exit = await CommandLineVerbs.RunAsync(app.Services, ["kde", "--input", Fixture("kde-points-80-full-precision.csv"), "--bandwidth", "250", "--cell", "100", "-o", output]);

        Assert.Equal(0, exit);
        var expected = ReadCsv(Fixture("kde-points-80-full-precision-h250-cell100.csv"), out _);
        var actual = ReadCsv(output, out _);
        // Same cells in the same order: the verb aligns its grid as R's script did.
        Assert.Equal(expected.Select(r => (r[0], r[1])), actual.Select(r => (r[0], r[1])));
        Assert.Contains(expected, r => r[2] > 0);
        for (var i = 0; i < expected.Count; i++)
        {
            // Relative to R's value, so a cell R finds empty must come out exactly 0.
            Assert.True(Math.Abs(actual[i][2] - expected[i][2]) <= 1e-12 * expected[i][2],
                $"cell ({actual[i][0]}, {actual[i][1]}): R {expected[i][2]:R}, verb {actual[i][2]:R}");
        }
    }

    [Fact]
    public async Task GiStarVerbReproducesSpdepOnARandomInputItHasNeverSeen()
    {
        // A new input every run; the seed in each failure message regenerates it (SD_TEST_GISTAR_SEED=N).
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SD_TEST_GISTAR_SEED"), CultureInfo.InvariantCulture, out var given)
            ? given
            : Random.Shared.Next();
        var (input, band, description) = RandomCellsWithClusteredCounts(seed);
        var reference = Path.Combine(Path.GetTempPath(), $"gistar-spdep-{seed}.csv");
        var output = Path.Combine(Path.GetTempPath(), $"gistar-out-{seed}-{Guid.NewGuid():N}.csv");
        var bandText = band.ToString(CultureInfo.InvariantCulture);

        // spdep::localG with dnearneigh(0, band), include.self, style "B": scripts/bench/spdep-localg.R.
        var r = await ExternalTool.RunAsync("Rscript", [Fixture("spdep-localg.R"), input, bandText, reference]);
        Assert.True(r.ExitCode == 0, $"seed {seed}: Rscript failed ({r.ExitCode}): {r.Error}");
        var exit = await CommandLineVerbs.RunAsync(app.Services, ["gistar", "--input", input, "--band", bandText, "-o", output]);

        Assert.True(exit == 0, $"seed {seed} ({description}): gistar exited with {exit}");
        var spdep = File.ReadAllLines(reference).Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var ours = ReadCsv(output, out _);
        Assert.True(spdep.Count == ours.Count, $"seed {seed} ({description}): spdep gave {spdep.Count} z-scores, the verb {ours.Count}");
        // Clustered counts: some cells are hot spots, so the comparison covers large z-scores too.
        Assert.True(spdep.Any(z => Math.Abs(z) > 1.96), $"seed {seed} ({description}): no |z| above 1.96");
        for (var i = 0; i < spdep.Count; i++)
        {
            var (expected, actual) = (spdep[i], ours[i][3]);
            Assert.True(double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(actual - expected) <= 1e-9,
                $"seed {seed} ({description}), line {i + 2} of {input}: spdep z = {expected:R}, verb z = {actual:R}");
        }
        File.Delete(input);
        File.Delete(reference);
        File.Delete(output);
    }

    // scripts/sdp as an analyst runs it: a file-to-file computation that starts no database (nothing
    // comes to listen on the port it would use) and so migrates none either.
    [Theory]
    [InlineData("gistar", "--band", "150")]
    [InlineData("kde", "--bandwidth", "250", "--cell", "100")]
    public async Task SdpRunsTheAnalystsVerbsWithoutADatabase(string verb, params string[] options)
    {
        var root = Environment.GetEnvironmentVariable("SD_REPO_ROOT")
            ?? throw new InvalidOperationException("SD_REPO_ROOT is not set: run the tests with scripts/test.sh");
        using var reserved = new TcpListener(IPAddress.Loopback, 0);
        reserved.Start();
        var port = ((IPEndPoint)reserved.LocalEndpoint).Port;
        reserved.Stop();
        var output = Path.Combine(Path.GetTempPath(), $"{verb}-sdp-{Guid.NewGuid():N}.csv");

        var result = await ExternalTool.RunAsync(Path.Combine(root, "scripts", "sdp"),
            [verb, "--input", Fixture(verb == "gistar" ? "grid30-cell100-band150.csv" : "kde-points-60.csv"), .. options, "-o", output],
            environment: new Dictionary<string, string> { ["SD_DB_PORT"] = port.ToString(CultureInfo.InvariantCulture) });

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(output));
        Assert.DoesNotContain("PostgreSQL", result.Error);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        File.Delete(output);
    }

    // A few hundred cells of a random size, some missing (an irregular study area), each centre moved by
    // up to a quarter cell (so distances fall on every side of the band), integer metres and counts (so R
    // and .NET parse identical doubles), Poisson counts around a few random hot spots, a band of 1–3 cells.
    private static (string Path, double Band, string Description) RandomCellsWithClusteredCounts(int seed)
    {
        var random = new Random(seed);
        var cell = random.Next(50, 201);
        var (columns, rows) = (random.Next(12, 22), random.Next(12, 22));
        var (originX, originY) = (random.Next(560_000, 620_000), random.Next(2_920_000, 2_960_000));
        var band = (double)random.Next(cell, 3 * cell + 1);
        var spots = Enumerable.Range(0, 3).Select(_ => (
            X: random.NextDouble() * columns * cell, Y: random.NextDouble() * rows * cell,
            Spread: (1 + 3 * random.NextDouble()) * cell, Peak: 3 + 9 * random.NextDouble())).ToArray();
        var csv = new StringBuilder("x,y,value\n");
        var count = 0;
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                if (random.NextDouble() < 0.15) continue;
                var x = column * cell + cell / 2 + random.Next(-cell / 4, cell / 4 + 1);
                var y = row * cell + cell / 2 + random.Next(-cell / 4, cell / 4 + 1);
                var rate = 0.2 + spots.Sum(s => s.Peak * Math.Exp(-((x - s.X) * (x - s.X) + (y - s.Y) * (y - s.Y)) / (2 * s.Spread * s.Spread)));
                // Knuth's Poisson draw; rates stay below ~40.
                var (limit, k, product) = (Math.Exp(-rate), 0, random.NextDouble());
                for (; product > limit; product *= random.NextDouble()) k++;
                csv.Append(CultureInfo.InvariantCulture, $"{originX + x},{originY + y},{k}\n");
                count++;
            }
        }
        var path = Path.Combine(Path.GetTempPath(), $"gistar-random-{seed}.csv");
        File.WriteAllText(path, csv.ToString());
        return (path, band, $"{count} cells of {cell} m, band {band} m");
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
