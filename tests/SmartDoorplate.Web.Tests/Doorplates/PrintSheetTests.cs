using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;
using SmartDoorplate.Doorplates.Printing;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Doorplates;

// Print sheets: the admin's PDF of a grid and the `print` verb, read back the way a printer's proof
// is checked — rendered by poppler, every QR decoded by zbar, cut marks where the guillotine goes.
public sealed class PrintSheetTests(DoorplateFixture app) : IClassFixture<DoorplateFixture>
{
    [Fact]
    public async Task GridSheetCarriesTheCurrentPlateOfEveryBuildingOfTheGrid()
    {
        var admin = await app.SignedInClientAsync("t.admin");

        var response = await admin.GetAsync($"/api/grids/{DoorplateFixture.GridCode}/plates.pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pages = await QrDecoder.RenderPdfPagesAsync(await response.Content.ReadAsByteArrayAsync());
        var decoded = new List<string>();
        foreach (var page in pages) decoded.AddRange(await QrDecoder.DecodeAsync(page));
        // Building A of TestWorld had no plate: printing issued one, so all four are on the sheet.
        var expected = await app.WithDbAsync(db => db.Doorplates
            .Where(d => d.RevokedAt == null && d.Building!.Grid!.Code == DoorplateFixture.GridCode)
            .Select(d => "http://localhost/d/" + d.Code).ToListAsync());
        var buildings = await app.WithDbAsync(db => db.Buildings.CountAsync(b => b.Grid!.Code == DoorplateFixture.GridCode));
        Assert.Equal(4, buildings);
        Assert.Equal(buildings, expected.Count);
        Assert.Equal(expected.Order(), decoded.Order());
        Assert.Equal(2, pages.Count);
    }

    [Fact]
    public async Task GridSheetPagesAreA4WithCutMarksAtEveryPlateCorner()
    {
        var admin = await app.SignedInClientAsync("t.admin");
        var pdf = await admin.GetByteArrayAsync($"/api/grids/{DoorplateFixture.GridCode}/plates.pdf");
        const int dpi = 150;

        var page = (await QrDecoder.RenderPdfPagesAsync(pdf, dpi))[0];

        using var bitmap = SKBitmap.Decode(page);
        float Px(float mm) => mm * dpi / 25.4f;
        Assert.Equal(Px(PlateSheet.PageWidth), bitmap.Width, 1f);
        Assert.Equal(Px(PlateSheet.PageHeight), bitmap.Height, 1f);
        // Darkest pixel within half a millimetre of a point of the page.
        byte Darkest(float xMm, float yMm)
        {
            var darkest = (byte)255;
            for (var x = (int)Px(xMm - 0.5f); x <= (int)Px(xMm + 0.5f); x++)
            for (var y = (int)Px(yMm - 0.5f); y <= (int)Px(yMm + 0.5f); y++)
            {
                var c = bitmap.GetPixel(x, y);
                darkest = Math.Min(darkest, (byte)((c.Red + c.Green + c.Blue) / 3));
            }
            return darkest;
        }
        var markMiddle = PlateSheet.CutMarkOffset + PlateSheet.CutMarkLength / 2;
        for (var slot = 0; slot < PlateSheet.PlatesPerPage; slot++)
        {
            var left = PlateSheet.PlateLeft;
            var top = PlateSheet.PlateTop(slot);
            foreach (var (x, y, dx, dy) in new[]
            {
                (left, top, -1f, -1f), (left + PlateSheet.PlateWidth, top, 1f, -1f),
                (left, top + PlateSheet.PlateHeight, -1f, 1f), (left + PlateSheet.PlateWidth, top + PlateSheet.PlateHeight, 1f, 1f),
            })
            {
                Assert.True(Darkest(x + dx * markMiddle, y) < 160, $"no horizontal cut mark at the corner ({x}, {y}) mm");
                Assert.True(Darkest(x, y + dy * markMiddle) < 160, $"no vertical cut mark at the corner ({x}, {y}) mm");
                // Diagonally off the corner there is nothing: marks are lines along the edges, not a frame.
                Assert.True(Darkest(x + dx * markMiddle, y + dy * markMiddle) > 240, $"ink off the corner ({x}, {y}) mm");
            }
        }
    }

    [Fact]
    public async Task OnlyAdminsPrintGridSheets()
    {
        var officer = await app.SignedInClientAsync("t.officer.a");
        var admin = await app.SignedInClientAsync("t.admin");

        var forbidden = await officer.GetAsync($"/api/grids/{DoorplateFixture.GridCode}/plates.pdf");
        var unknown = await admin.GetAsync("/api/grids/NO-SUCH-GRID/plates.pdf");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No such grid", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task PrintVerbWritesTheListedBuildingsPlatesPointingAtTheGivenBase()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("sd-print-").FullName, "plates.pdf");

        var result = await RunVerbAsync("print", "--buildings", "T-A-0012, T-A-0013", "-o", output, "--base-url", "https://plates.example.cn/gy/");

        Assert.True(result.ExitCode == 0, result.Error);
        // Not a terminal: progress comes as plain lines.
        Assert.Contains("printed 2/2 plates", result.Output);
        Assert.Contains("2 plates on 1 A4 pages", result.Output);
        var pages = await QrDecoder.RenderPdfPagesAsync(await File.ReadAllBytesAsync(output));
        var expected = new[]
        {
            "https://plates.example.cn/gy/d/" + await app.CurrentCodeAsync(app.RentalBuilding),
            "https://plates.example.cn/gy/d/" + await app.CurrentCodeAsync(app.ShopBuilding),
        };
        Assert.Equal(expected.Order(), (await QrDecoder.DecodeAsync(Assert.Single(pages))).Order());
    }

    [Theory]
    [InlineData("error: no grid has the code NO-SUCH-GRID", "print", "--grid", "NO-SUCH-GRID", "-o", "x.pdf")]
    [InlineData("error: unknown building codes: NOPE-1", "print", "--buildings", "T-A-0012,NOPE-1", "-o", "x.pdf")]
    [InlineData("error: give either --grid CODE or --buildings CODE,CODE…", "print", "-o", "x.pdf")]
    [InlineData("error: --base-url must be an absolute http(s) URL without query: ftp://x", "print", "--grid", "T-A-01", "-o", "x.pdf", "--base-url", "ftp://x")]
    public async Task PrintVerbFailsWithOneLine(string expected, params string[] arguments)
    {
        var result = await RunVerbAsync(arguments);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(expected, result.Error.Trim());
    }

    // The real executable, as scripts/sdp runs it, on this test class's database.
    private Task<VerbResult> RunVerbAsync(params string[] arguments) =>
        SdpVerb.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = app.AppConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_CONTENTROOT"] = AppContext.BaseDirectory,
            ["Logging__LogLevel__Default"] = "Warning",
        }, arguments, workingDirectory: Path.GetTempPath());
}
