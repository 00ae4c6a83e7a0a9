using Microsoft.Playwright;
using OpenBsc.Testing;

namespace OpenBsc.BrowserTests;

/// <summary>
/// The app on a real port with a temporary database (demo loaded) and Debian's Chromium driven by Playwright.
/// No browser is downloaded: Chromium comes from the system (<c>apt-get install chromium</c>; test.sh does it).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public RunningApp App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots land here (TestResults/screenshots beside the test binaries): the tests' artifacts.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        // HTTP data sources on loopback (the connector journey's Kestrel source) are allowed explicitly, as only tests do.
        App = await RunningApp.StartAsync(OpenBsc.Application.Data.DatabaseProvider.Sqlite, true, 10_000, "--OpenBsc:Connectors:AllowLoopback=true", "--OpenBsc:Connectors:Background=false");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1366, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        // Signed in through the real form, as the administrator RunningApp made (the cookie stays in the context).
        // In about one CI run in three, one sign-in of the fourteen stayed on /login until the 90 s bound, cause not
        // yet found (the same sign-in passes alone and in reruns): a stalled attempt is recorded with what the page
        // showed (TestResults/screenshots/sign-in-stalled.png and .txt) and the form sent once more.
        string? stalled = null;
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            await page.GotoAsync("/login");
            await page.GetByLabel("User name or e-mail").FillAsync(RunningApp.AdminName);
            await page.GetByLabel("Password").FillAsync(RunningApp.Password);
            // The first sign-in of a run also renders the first page while the app warms up: on a loaded CI machine
            // that can pass the default 30 s, so the sign-in gets its own, longer bound.
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(new() { Timeout = 90_000 });
            try
            {
                await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new() { Timeout = 60_000 });
                return page;
            }
            catch (TimeoutException)
            {
                await ScreenshotAsync(page, "sign-in-stalled");
                string text = await page.InnerTextAsync("body");
                stalled = $"still at {page.Url} after 60 s; the page said: {text[..Math.Min(400, text.Length)]}";
                // The test runner does not show standard error: the record is kept beside the screenshot.
                await File.AppendAllTextAsync(Path.Combine(ScreenshotDirectory, "sign-in-stalled.txt"), stalled + Environment.NewLine);
            }
        }

        throw new TimeoutException($"Sign-in did not leave the login page twice. {stalled}");
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
