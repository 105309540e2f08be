using System.Buffers.Binary;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;
using SmartDoorplate.Audit;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Policing;

// The pilot data: plates went up on 2025-11-01 and 两抢一盗 fell by about 30% in the year after.
public sealed class PilotReportTests(PilotAppFactory app) : IClassFixture<PilotAppFactory>
{
    private Task<HttpClient> Officer(string user = "police.gaicha") => app.SignedInClientAsync(user, PilotAppFactory.DemoPassword);

    private static int Strong(string html, string id)
    {
        var match = Regex.Match(html, $"<dd id=\"{id}\"[^>]*>.*?<strong>([^<]+)</strong>", RegexOptions.Singleline);
        Assert.True(match.Success, id);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<string> HotBuildingAddresses(string html)
    {
        var table = Regex.Match(html, "<table class=\"report-buildings\" id=\"hot-buildings\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        Assert.True(table.Success);
        return Regex.Matches(table.Groups[1].Value, "<tr><td>\\d+</td><td>([^<]+)</td>").Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public async Task ThePilotPageShowsAboutAThirdFewerRobberiesAndTheftsAfterThePlatesAndTenHotBuildings()
    {
        var officer = await Officer();

        var response = await officer.GetAsync("/police/report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("两抢一盗", html);
        Assert.Contains("黔灵派出所改茶警务区", html);
        var before = Strong(html, "before");
        var after = Strong(html, "after");
        Assert.True(before > 300, $"before {before}");
        Assert.InRange((after - before) / (double)before, -0.40, -0.20);
        Assert.Contains("2024-11 至 2025-10", html);
        Assert.Contains("2025-11 至 2026-10", html);
        Assert.Equal(24, Regex.Matches(html, "<tr class=\"(before|after)\"><td>20").Count);

        var addresses = HotBuildingAddresses(html);
        Assert.Equal(10, addresses.Count);
        Assert.All(addresses, a => Assert.StartsWith("云岩区", a));
        // Counts only: the page names no resident.
        Assert.DoesNotContain("身份证", html);
    }

    [Fact]
    public async Task AHotBuildingsRateIsShownOnlyWhereItsResidentsReachTheHotspotsMinimum()
    {
        var officer = await Officer();

        var html = await (await officer.GetAsync("/police/report")).Content.ReadAsStringAsync();

        var table = Regex.Match(html, "<table class=\"report-buildings\" id=\"hot-buildings\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline).Groups[1].Value;
        var rows = Regex.Matches(table, "<tr>(?:<td>([^<]*)</td>){8}</tr>").Select(m => m.Groups[1].Captures.Select(c => c.Value).ToArray()).ToList();
        Assert.Equal(10, rows.Count);
        var minimum = SmartDoorplate.Policing.Hotspots.ResidentRates.MinimumResidents;
        Assert.Contains(rows, r => int.Parse(r[6], System.Globalization.CultureInfo.InvariantCulture) < minimum);
        foreach (var row in rows)
        {
            var (cases, residents) = (int.Parse(row[5], System.Globalization.CultureInfo.InvariantCulture), int.Parse(row[6], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(residents < minimum ? "—" : (cases * 1000.0 / residents).ToString("0", System.Globalization.CultureInfo.InvariantCulture), row[7]);
        }
        Assert.Contains($"在住人数达到 {minimum} 人时计算", html);
    }

    [Fact]
    public async Task ThePlateDateAndWindowAreChoices()
    {
        var officer = await Officer();

        var html = await officer.GetStringAsync("/police/report?plate=2026-05-01&months=3");

        Assert.Contains("2026-02 至 2026-04", html);
        Assert.Contains("2026-05 至 2026-07", html);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.GetAsync("/police/report?months=99")).StatusCode);
    }

    [Fact]
    public async Task ThePdfIsOneA4PageWithTheFiguresAndTheBuildingNamesAndItsExportIsAudited()
    {
        var officer = await Officer();
        var addresses = HotBuildingAddresses(await officer.GetStringAsync("/police/report"));
        var exportsBefore = await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditActions.ReportExport.Code));

        var response = await officer.GetAsync("/police/report.pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var pages = await QrDecoder.RenderPdfPagesAsync(pdf, dpi: 50);
        var page = Assert.Single(pages);
        using (var bitmap = SKBitmap.Decode(page))
        {
            // A4 portrait at 50 dpi: 413 × 585 pixels.
            Assert.InRange(bitmap.Width, 410, 416);
            Assert.InRange(bitmap.Height, 582, 588);
        }

        var text = await PdfTextAsync(pdf);
        Assert.Contains("两抢一盗", text);
        Assert.Contains("门牌安装", text);
        foreach (var address in addresses) Assert.Contains(address, text);
        Assert.Equal(exportsBefore + 1, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditActions.ReportExport.Code)));
    }

    [Fact]
    public async Task ThePngIsAnA4ImageAt150Dpi()
    {
        var officer = await Officer();

        var response = await officer.GetAsync("/police/report.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(1240u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(1754u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)));
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        // Not a blank page: the hot cells are drawn in the map's dark red.
        Assert.Contains(Enumerable.Range(0, bitmap.Height / 4).SelectMany(y => Enumerable.Range(0, bitmap.Width / 4).Select(x => bitmap.GetPixel(x * 4, y * 4))),
            c => c.Red == 0xb2 && c.Green == 0x18 && c.Blue == 0x2b);
    }

    [Fact]
    public async Task TheChartAndMapOfThePageAreSvgImages()
    {
        var officer = await Officer();

        foreach (var picture in new[] { "/police/report/chart.svg", "/police/report/map.svg" })
        {
            var response = await officer.GetAsync(picture);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            var rendered = await ExternalTool.RunAsync("rsvg-convert", ["--format=png"], await response.Content.ReadAsByteArrayAsync());
            Assert.True(rendered.ExitCode == 0, rendered.Error);
        }
    }

    [Fact]
    public async Task AnOfficerOfAnotherStationGetsTheirOwnAreaAndNeverThePilots()
    {
        var other = await Officer("police.other");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/police/report?grid=520103100207-04")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/police/report.pdf?grid=520103100207-04")).StatusCode);
        var own = await other.GetAsync("/police/report");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var html = await own.Content.ReadAsStringAsync();
        Assert.DoesNotContain("改茶", html);
    }

    [Fact]
    public async Task TheReportIsForPoliceAndAdminsOnly()
    {
        var landlord = await app.SignedInClientAsync("landlord.demo", PilotAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await landlord.GetAsync("/police/report.pdf")).StatusCode);
        var admin = await app.SignedInClientAsync("admin", PilotAppFactory.DemoPassword);
        Assert.Contains("改茶警务区", await admin.GetStringAsync("/police/report"));
    }

    private static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("sd-report-");
        try
        {
            var file = Path.Combine(folder.FullName, "report.pdf");
            await File.WriteAllBytesAsync(file, pdf);
            var result = await ExternalTool.RunAsync("pdftotext", ["-layout", file, "-"]);
            Assert.True(result.ExitCode == 0, result.Error);
            return result.Text;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
