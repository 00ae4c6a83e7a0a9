using System.Net;
using System.Text.RegularExpressions;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>Sign-in: no open redirect, no 500 on a hostile return address (issue 18, defect 3).</summary>
public sealed partial class SignInHardeningTests
{
    [Theory]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\n/evil.example/")]
    [InlineData("/\r\n/x")]
    [InlineData("/\\evil.example/")]
    [InlineData("/x/\\\\evil")]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/ /evil.example/")]
    public async Task SignIn_AReturnAddressABrowserCouldReadAsAnotherSite_GoesHome(string returnUrl)
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        var client = app.NewClient();

        string page = await client.GetStringAsync("/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal("/", WebUtility.HtmlDecode(ReturnField().Match(page).Groups[1].Value));
        string token = await RunningApp.AntiforgeryTokenAsync(client, "/login");
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = RunningApp.AdminName,
            ["password"] = RunningApp.Password,
            ["returnUrl"] = returnUrl,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignIn_ALocalReturnAddress_IsKept()
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        var client = app.NewClient();
        string token = await RunningApp.AntiforgeryTokenAsync(client, "/login");
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = RunningApp.AdminName,
            ["password"] = RunningApp.Password,
            ["returnUrl"] = "/scorecards/x?period=2026-01&a=%2F",
        }));

        Assert.Equal("/scorecards/x?period=2026-01&a=%2F", response.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnField();
}
