using System.Net;
using Deque.AxeCore.Playwright;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Linli.Api.Tests.StaffConsole;

/// <summary>
/// The API on a real loopback port (Kestrel: a browser cannot reach TestServer) and Debian's Chromium driven by
/// Playwright. Playwright's own browser download is never used: the driver ships in the NuGet package and the
/// browser is /usr/bin/chromium, which scripts/test-deps.sh installs.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private ConsoleBrowser(LinliFactory factory, IPlaywright playwright, IBrowser browser, string address) =>
        (Factory, _playwright, Browser, Address) = (factory, playwright, browser, address);

    private readonly IPlaywright _playwright;

    public LinliFactory Factory { get; }
    public IBrowser Browser { get; }
    /// <summary>The API's base address, e.g. http://127.0.0.1:41234.</summary>
    public string Address { get; }

    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot.Path, ".data", "console-screenshots");

    public static async Task<ConsoleBrowser> StartAsync()
    {
        // The ticket tests' settings (no background workers, long-lived tokens) plus printable QR sheets; Swagger
        // is not served, as in production, so the console proves it needs nothing but its own endpoints.
        var settings = TicketsApp.Settings(("Qr:PdfLicense", "agpl"), ("Qr:Host", HousesApp.QrHost), ("OpenApi:Serve", "false"));
        var factory = new LinliFactory(settings);
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Without the background-networking flags Chromium keeps trying to reach Google and floods refused connections.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
        return new ConsoleBrowser(factory, playwright, browser, address);
    }

    /// <summary>A fresh browser window the size of the desks the console is made for (1366×768), in China time.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            AcceptDownloads = true,
        });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs the page in the way staff do: the console shows its QR code, and the mini-program (here the staff
    /// member's own API client) approves the session the code names; the console then finds itself signed in.
    /// </summary>
    public static async Task SignInByScanAsync(IPage page, HttpClient staffPhone, string? screenshot = null)
    {
        await page.GotoAsync("/console/");
        var code = page.Locator("img[data-qr-content]");
        await Assertions.Expect(code).ToBeVisibleAsync();
        if (screenshot is not null)
            await ScreenshotAsync(page, screenshot);
        var content = await code.GetAttributeAsync("data-qr-content");
        Assert.That(content, Does.StartWith("linli-console:"));
        using var approval = await staffPhone.PostAsync($"/api/v1/auth/console-sessions/{content!["linli-console:".Length..]}/approve", null);
        Assert.That(approval.IsSuccessStatusCode, Is.True, await approval.Content.ReadAsStringAsync());
        await page.WaitForURLAsync("**/console/#/board");
        await Assertions.Expect(page.Locator("#nav")).ToBeVisibleAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    /// <summary>Runs axe on the page as it is now; fails with the rule and the elements for each serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var results = await page.RunAxe();
        var serious = results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
        Assert.That(serious, Is.Empty, $"axe on {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Factory.DisposeAsync();
    }
}
