using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SmartDoorplate.Analytics.Hotspots;

namespace SmartDoorplate.Analytics.Benchmarks;

/// <summary>
/// The library calls behind `sdp gistar`, `sdp kde` and /api/hotspots, timed without process start-up
/// or CSV I/O: Gi* on the 100,000-cell input that gistar-spdep.sh gives spdep (neighbour search
/// included, as in R's timing), Gi* on 1,000,000 cells, and the quartic KDE of 1,000,000 cases on a
/// 100 m grid over the synthetic city's extent. Targets: under 5 s each for the 1,000,000 cases.
/// </summary>
public class HotspotBenchmarks
{
    private const double CellSize = 100;
    private const double GiStarBand = 150;
    private const double KdeBandwidth = 250;

    // The city seed's lattice (Loading/Seed/CitySeedLayout.cs) spans 0.30° × 0.30° from 106.55 E, 26.45 N:
    // about 30 km east–west and 33 km north–south, here in UTM 48N metres from its south-west corner.
    private const double CityWestX = 555_000;
    private const double CitySouthY = 2_925_000;
    private const double CityWidth = 30_000;
    private const double CityHeight = 33_300;

    private double[] gridX = [], gridY = [], gridValues = [];
    private double[] millionX = [], millionY = [], millionValues = [];
    private double[] caseX = [], caseY = [];
    private SquareGrid cityGrid = null!;

    public static IConfig Config() => ManualConfig.CreateMinimumViable()
        // In-process: nothing is rebuilt per benchmark on the shared 2-core machine. Each call takes
        // long enough for one invocation per iteration, so the median is over plain repeated runs.
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(9)
            .WithInvocationCount(1).WithUnrollFactor(1))
        .AddDiagnoser(MemoryDiagnoser.Default)
        // The JSON (medians in ns) is what gistar-spdep.sh reads; the Markdown table is for people.
        .AddExporter(JsonExporter.Brief, MarkdownExporter.GitHub)
        .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);

    [GlobalSetup]
    public void Setup()
    {
        // The same file as spdep gets, when gistar-spdep.sh runs us; else a grid of the same shape.
        var input = Environment.GetEnvironmentVariable("SD_BENCH_GISTAR_INPUT");
        (gridX, gridY, gridValues) = string.IsNullOrEmpty(input) ? ClusteredGrid(316, 317, seed: 1) : ReadCsv(input);
        (millionX, millionY, millionValues) = ClusteredGrid(1000, 1000, seed: 2);
        (caseX, caseY) = CityCases(1_000_000, seed: 3);
        cityGrid = SquareGrid.Cover(CityWestX, CitySouthY, CityWestX + CityWidth, CitySouthY + CityHeight, CellSize);
    }

    [Benchmark(Description = "Gi* 100k cells (spdep input)")]
    public GiStarResult GiStar100k() => GiStar.Compute(gridX, gridY, gridValues, GiStarBand);

    [Benchmark(Description = "Gi* 1M cells")]
    public GiStarResult GiStar1M() => GiStar.Compute(millionX, millionY, millionValues, GiStarBand);

    [Benchmark(Description = "KDE 1M cases, city grid")]
    public double KdeMillionCases()
    {
        var densities = QuarticKde.Densities(caseX, caseY, [], cityGrid.CentreX.AsSpan(), cityGrid.CentreY.AsSpan(), KdeBandwidth);
        return densities[densities.Length / 2];
    }

    private static (double[] X, double[] Y, double[] Values) ReadCsv(string path)
    {
        var rows = File.ReadLines(path).Skip(1).Where(line => line.Length > 0)
            .Select(line => line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray(), rows.Select(r => r[2]).ToArray());
    }

    // As scripts/bench/gistar-grid.R: Poisson counts around a dozen Gaussian hot spots on a low background.
    private static (double[] X, double[] Y, double[] Values) ClusteredGrid(int columns, int rows, int seed)
    {
        var random = new Random(seed);
        var spots = Enumerable.Range(0, 12).Select(_ => (
            X: random.NextDouble() * columns * CellSize, Y: random.NextDouble() * rows * CellSize,
            Spread: (3 + 12 * random.NextDouble()) * CellSize, Peak: 2 + 10 * random.NextDouble())).ToArray();
        var n = columns * rows;
        var (x, y, values) = (new double[n], new double[n], new double[n]);
        for (var i = 0; i < n; i++)
        {
            x[i] = (i % columns + 0.5) * CellSize;
            y[i] = (i / columns + 0.5) * CellSize;
            var rate = 0.3;
            foreach (var spot in spots)
            {
                rate += spot.Peak * Math.Exp(-((x[i] - spot.X) * (x[i] - spot.X) + (y[i] - spot.Y) * (y[i] - spot.Y)) / (2 * spot.Spread * spot.Spread));
            }

            values[i] = Poisson(random, rate);
        }

        return (x, y, values);
    }

    // Cases as the city seed places them: most around the five density centres with an exponential
    // fall-off (Clark's model, decay 1.8–2.6 km), the rest anywhere in the city.
    private static (double[] X, double[] Y) CityCases(int count, int seed)
    {
        (double X, double Y, double Share, double DecayMetres)[] centres =
        [
            (16_200, 14_700, 0.35, 2_600), (8_300, 19_100, 0.20, 2_600), (9_000, 26_500, 0.10, 1_800),
            (11_500, 4_700, 0.12, 2_200), (21_500, 21_000, 0.08, 1_800),
        ];
        var random = new Random(seed);
        var (x, y) = (new double[count], new double[count]);
        for (var i = 0; i < count; i++)
        {
            double px, py;
            do
            {
                var pick = random.NextDouble();
                var centre = Array.FindIndex(centres, c => (pick -= c.Share) < 0);
                if (centre < 0)
                {
                    (px, py) = (random.NextDouble() * CityWidth, random.NextDouble() * CityHeight);
                }
                else
                {
                    // Radius of a 2-D exponential density: Gamma(2, decay), the sum of two exponentials.
                    var radius = -centres[centre].DecayMetres * Math.Log((1 - random.NextDouble()) * (1 - random.NextDouble()));
                    var angle = 2 * Math.PI * random.NextDouble();
                    (px, py) = (centres[centre].X + radius * Math.Cos(angle), centres[centre].Y + radius * Math.Sin(angle));
                }
            }
            while (px < 0 || px > CityWidth || py < 0 || py > CityHeight);

            (x[i], y[i]) = (CityWestX + px, CitySouthY + py);
        }

        return (x, y);
    }

    // Knuth's multiplication method; rates here are at most ~13, where it is exact and quick.
    private static double Poisson(Random random, double rate)
    {
        var limit = Math.Exp(-rate);
        var k = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble())
        {
            k++;
        }

        return k;
    }
}
