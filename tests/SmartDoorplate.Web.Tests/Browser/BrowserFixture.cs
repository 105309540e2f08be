using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SmartDoorplate.Web.Tests.Accounts;

namespace SmartDoorplate.Web.Tests.Browser;

// The real app on a real loopback port, driven by Debian's Chromium through Playwright. Chromium is
// installed by scripts/test.sh; if it is missing the tests fail, they do not skip.
public sealed class BrowserFixture : ScopeWorldFixture
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public static string ArtifactDirectory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("SD_REPO_ROOT") ?? Path.GetTempPath();
            var directory = Path.Combine(root, "artifacts", "screenshots");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    public override async Task InitializeAsync()
    {
        // Kestrel must be chosen before the first use of Services, which the base fixture makes.
        UseKestrel(0);
        await base.InitializeAsync();
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(playwright);
    }

    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright, params string[] extraArgs)
    {
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"{ChromiumPath} is missing: scripts/test.sh installs Debian's chromium.");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Offline machine: no background services, no sandbox (we run as root in CI).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", .. extraArgs],
        });
    }

    // A phone: 390×844 is an iPhone 12-14 class screen, the common size for the cheap Android phones too.
    public Task<IBrowserContext> PhoneAsync(string locale = "zh-CN") => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = locale,
        BaseURL = BaseUrl,
    });

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
    }
}
