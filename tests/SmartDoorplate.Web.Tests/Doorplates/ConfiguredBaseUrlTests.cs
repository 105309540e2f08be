using SmartDoorplate.Web.Tests.Infrastructure;

namespace SmartDoorplate.Web.Tests.Doorplates;

public sealed class ConfiguredBaseUrlFixture : DoorplateFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["SD_ANON_RATE_LIMIT"] = "0",
        ["SignIn:RequestsPerMinutePerIp"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
        // A trailing slash, as people write it.
        ["Doorplates:PublicBaseUrl"] = "https://mp.example.cn/gy/",
    };
}

public sealed class ConfiguredBaseUrlTests(ConfiguredBaseUrlFixture app) : IClassFixture<ConfiguredBaseUrlFixture>
{
    [Fact]
    public async Task QrPointsAtTheConfiguredPublicBaseUrlWhateverHostWasAsked()
    {
        var code = await app.CurrentCodeAsync(app.RentalBuilding);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Host = "internal-node-3:8080";

        var png = await client.GetAsync($"/api/doorplates/{code}/qr.png");
        var svg = await client.GetByteArrayAsync($"/api/doorplates/{code}/plate.svg");

        Assert.Equal([$"https://mp.example.cn/gy/d/{code}"], await QrDecoder.DecodeAsync(await png.Content.ReadAsByteArrayAsync()));
        Assert.Equal([$"https://mp.example.cn/gy/d/{code}"], await QrDecoder.DecodeSvgAsync(svg));
        // A configured link is the same for everyone, so shared caches may keep it.
        Assert.True(png.Headers.CacheControl?.Public);
    }
}
