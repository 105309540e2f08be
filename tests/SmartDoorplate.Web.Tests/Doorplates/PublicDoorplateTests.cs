using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SmartDoorplate.Doorplates;
using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Doorplates;

// The anonymous plate endpoints, as a phone that has just scanned a plate (and zbar) see them.
// WebApplicationFactory's client calls http://localhost, so without configuration that is the base.
public sealed class PublicDoorplateTests(DoorplateFixture app) : IClassFixture<DoorplateFixture>
{
    private const string Base = "http://localhost";

    [Fact]
    public async Task QrPngDecodesToExactlyTheScanLinkOfThePlate()
    {
        var code = await app.CurrentCodeAsync(app.RentalBuilding);

        var response = await app.CreateClient().GetAsync($"/api/doorplates/{code}/qr.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([$"{Base}/d/{code}"], await QrDecoder.DecodeAsync(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task QrSvgDecodesToTheSameLinkOnceRasterised()
    {
        var code = await app.CurrentCodeAsync(app.RentalBuilding);

        var response = await app.CreateClient().GetAsync($"/api/doorplates/{code}/qr.svg");

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([$"{Base}/d/{code}"], await QrDecoder.DecodeSvgAsync(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task PlateSvgShowsTheAddressTheStationAndAScannableQr()
    {
        var code = await app.CurrentCodeAsync(app.RentalBuilding);

        var response = await app.CreateClient().GetAsync($"/api/doorplates/{code}/plate.svg");

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(svg);
        Assert.Contains("width=\"300mm\" height=\"200mm\"", text);
        Assert.Contains("Noto Sans CJK SC", text);
        Assert.Contains($">{DoorplateFixture.Road}</text>", text);
        Assert.Contains(">12号</text>", text);
        Assert.Contains("云岩区黔灵镇测试村改茶路三巷12号", text);
        Assert.Contains("扫码登记 · 流动人口居住登记", text);
        Assert.Contains($"{DoorplateFixture.StationAName}  服务电话 {DoorplateFixture.StationAHotline}", text);
        Assert.Contains("楼栋编码 T-A-0012", text);
        Assert.Contains($"{code[..4]}-{code[4..8]}-{code[8..12]}-{code[12..]}", text);
        Assert.Equal([$"{Base}/d/{code}"], await QrDecoder.DecodeSvgAsync(svg));
    }

    [Fact]
    public async Task PlatePngIsThePlateAt300DpiWithAScannableQr()
    {
        var code = await app.CurrentCodeAsync(app.RentalBuilding);

        var response = await app.CreateClient().GetAsync($"/api/doorplates/{code}/plate.png");

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        // IHDR: 300 × 200 mm at 300 dpi; pHYs: 11811 pixels a metre, so print software opens it at true size.
        Assert.Equal(3543u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2362u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)));
        var phys = png.AsSpan().IndexOf("pHYs"u8);
        Assert.True(phys > 0, "no pHYs chunk");
        Assert.Equal(11811u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(phys + 4)));
        Assert.Equal([$"{Base}/d/{code}"], await QrDecoder.DecodeAsync(png));
    }

    [Fact]
    public async Task LookupAnswersTheContractFieldsOfThePlate()
    {
        var code = await app.CurrentCodeAsync(app.RentalBuilding);

        var body = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/doorplates/{code}");

        Assert.Equal(["code", "buildingId", "address", "station", "revoked"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(app.RentalBuilding, body.GetProperty("buildingId").GetInt64());
        Assert.Equal("云岩区黔灵镇测试村改茶路三巷12号", body.GetProperty("address").GetString());
        Assert.Equal(["name", "hotline"], body.GetProperty("station").EnumerateObject().Select(p => p.Name));
        Assert.Equal(DoorplateFixture.StationAName, body.GetProperty("station").GetProperty("name").GetString());
        Assert.Equal(DoorplateFixture.StationAHotline, body.GetProperty("station").GetProperty("hotline").GetString());
        Assert.False(body.GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task CodesAreAcceptedInLowerCaseAndInHyphenatedGroups()
    {
        var code = await app.CurrentCodeAsync(app.ShopBuilding);
        var typed = $"{code[..4]}-{code[4..8]}-{code[8..12]}-{code[12..]}".ToLowerInvariant();

        var body = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/doorplates/{typed}");
        var qr = await app.CreateClient().GetAsync($"/api/doorplates/{typed}/qr.png");

        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal([$"{Base}/d/{code}"], await QrDecoder.DecodeAsync(await qr.Content.ReadAsByteArrayAsync()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/qr.png")]
    [InlineData("/qr.svg")]
    [InlineData("/plate.svg")]
    [InlineData("/plate.png")]
    public async Task AnUnknownCodeAnswers404ProblemDetails(string suffix)
    {
        var client = app.CreateClient();

        var unknown = await client.GetAsync($"/api/doorplates/{DoorplateCode.New()}{suffix}");
        var malformed = await client.GetAsync($"/api/doorplates/not-a-plate-code{suffix}");

        foreach (var response in new[] { unknown, malformed })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("门牌码不存在 / No doorplate has this code", problem.GetProperty("title").GetString());
        }
    }

    [Theory]
    [InlineData("qr.png", 365)]   // a QR shows only the link of an immutable code
    [InlineData("qr.svg", 365)]
    [InlineData("plate.svg", 7)]  // a plate's address or hotline may be corrected under the same code
    [InlineData("plate.png", 7)]
    public async Task ImagesAreCachedLongAndRevalidateWithTheirETag(string file, int days)
    {
        var code = await app.CurrentCodeAsync(app.ShopBuilding);
        var client = app.CreateClient();

        var first = await client.GetAsync($"/api/doorplates/{code}/{file}");
        var etag = first.Headers.ETag;
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/doorplates/{code}/{file}");
        again.Headers.IfNoneMatch.Add(etag!);
        var second = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.Equal(TimeSpan.FromDays(days), first.Headers.CacheControl?.MaxAge);
        // The host came from the request, not from configuration: no shared cache may keep it.
        Assert.True(first.Headers.CacheControl!.Private);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task CorrectingAnAddressChangesThePlateETagButNotTheQrOne()
    {
        var code = await app.CurrentCodeAsync(app.ReissueBuilding);
        var client = app.CreateClient();
        var plateBefore = (await client.GetAsync($"/api/doorplates/{code}/plate.svg")).Headers.ETag;
        var qrBefore = (await client.GetAsync($"/api/doorplates/{code}/qr.svg")).Headers.ETag;

        await app.WithDbAsync(async db =>
        {
            var address = await db.Addresses.SingleAsync(a => db.Buildings.Any(b => b.Id == app.ReissueBuilding && b.AddressId == a.Id));
            address.Number = "14号附1";
            address.FullText = "云岩区黔灵镇测试村改茶路三巷14号附1";
            await db.SaveChangesAsync();
        });
        var plateAfter = await client.GetAsync($"/api/doorplates/{code}/plate.svg");
        var qrAfter = await client.GetAsync($"/api/doorplates/{code}/qr.svg");

        Assert.NotEqual(plateBefore, plateAfter.Headers.ETag);
        Assert.Contains(">14号附1</text>", await plateAfter.Content.ReadAsStringAsync());
        Assert.Equal(qrBefore, qrAfter.Headers.ETag);
    }

    [Fact]
    public async Task APlateShowsNoPersonalData()
    {
        // TestWorld's building A has a registered tenant, a landlord and a room; station A an officer.
        var admin = await app.SignedInClientAsync("t.admin");
        var building = await admin.GetFromJsonAsync<JsonElement>($"/api/buildings/{app.World.BuildingA}");
        var code = building.GetProperty("doorplateCode").GetString()
            ?? await IssueThroughPrintingAsync(admin, app.World.BuildingA);
        var client = app.CreateClient();

        var json = await client.GetStringAsync($"/api/doorplates/{code}");
        var svgBytes = await client.GetByteArrayAsync($"/api/doorplates/{code}/plate.svg");
        var svg = Encoding.UTF8.GetString(svgBytes);
        var link = await QrDecoder.DecodeSvgAsync(svgBytes);

        Assert.Equal([$"{Base}/d/{code}"], link);
        foreach (var shown in new[] { json, svg })
        {
            Assert.Contains("测试村测试路T-A-0001", shown);  // it is building A's plate
            foreach (var personal in new[]
            {
                app.World.PersonAName, TestWorld.IdNumberA, app.World.PersonAPhone, "t.landlord.a",
                DoorplateFixture.OfficerName, DoorplateFixture.OfficerPhone, "出租", "rental", "T-RECEIPT-A",
            })
            {
                Assert.DoesNotContain(personal, shown);
            }
            Assert.DoesNotMatch(new Regex(@"\d{17}[\dXx]"), shown);
            Assert.DoesNotMatch(new Regex(@"1[3-9]\d{9}"), shown);
        }
    }

    [Fact]
    public async Task ALetHouseAndAShopGetPlatesThatLookTheSame()
    {
        var client = app.CreateClient();
        var rental = await client.GetStringAsync($"/api/doorplates/{await app.CurrentCodeAsync(app.RentalBuilding)}/plate.svg");
        var shop = await client.GetStringAsync($"/api/doorplates/{await app.CurrentCodeAsync(app.ShopBuilding)}/plate.svg");

        // Same template, same sizes, same colours: only the words and the QR pattern differ.
        static string Template(string svg) => Regex.Replace(Regex.Replace(Regex.Replace(svg,
            "<title>.*?</title>", ""), ">[^<]*</text>", "></text>"), " d=\"[^\"]*\"", "");

        Assert.NotEqual(rental, shop);
        Assert.Equal(Template(rental), Template(shop));
    }

    // The grid sheet issues a plate to every building of the grid that has none.
    private async Task<string> IssueThroughPrintingAsync(HttpClient admin, long buildingId)
    {
        var sheet = await admin.GetAsync($"/api/grids/{DoorplateFixture.GridCode}/plates.pdf");
        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        return await app.CurrentCodeAsync(buildingId);
    }
}
