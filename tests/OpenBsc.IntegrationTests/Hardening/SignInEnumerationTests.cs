using System.Diagnostics;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>Whether an account exists cannot be told from the sign-in's answer or its time (defect 13).</summary>
[Collection(nameof(Observations.SerialBulkImport))]
public sealed class SignInEnumerationTests
{
    [Fact]
    public async Task UnknownName_WrongPassword_AndLockedAccount_GetTheSameAnswer_InAboutTheSameTime()
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        await app.AddUserAsync("known@test.example", AccessRole.Viewer);
        await app.AddUserAsync("locked@test.example", AccessRole.Viewer);
        var client = app.NewClient();
        for (int i = 0; i < 5; i++)
        {
            await RunningApp.SignInAsync(client, "locked@test.example", "wrong password " + i);
        }

        // Warm up (JIT, first hash), then interleave so that a busy machine slows all three alike.
        await RunningApp.SignInAsync(client, "known@test.example", "warm up");
        await RunningApp.SignInAsync(client, "nobody@test.example", "warm up");
        var times = new Dictionary<string, List<double>> { ["known@test.example"] = [], ["nobody@test.example"] = [], ["locked@test.example"] = [] };
        var answers = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 7; i++)
        {
            foreach (string name in times.Keys)
            {
                var watch = Stopwatch.StartNew();
                using var response = await RunningApp.SignInAsync(client, name, name.StartsWith("locked", StringComparison.Ordinal) ? RunningApp.Password : "not the password " + i);
                times[name].Add(watch.Elapsed.TotalMilliseconds);
                answers.Add(response.Headers.Location!.OriginalString);
            }
        }

        Assert.Equal(["/login?problem=wrong&returnUrl=%2F"], answers);
        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        double known = Median(times["known@test.example"]);
        foreach (string other in new[] { "nobody@test.example", "locked@test.example" })
        {
            // Before: ~4 ms against ~250 ms. A password hash dominates both now.
            Assert.True(Median(times[other]) > known * 0.5, $"{other}: {Median(times[other]):F0} ms against {known:F0} ms for a known account");
        }
    }
}
