using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.IntegrationTests.Cli;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Alerts;

/// <summary><c>openbsc alerts run</c> and <c>alerts deliveries</c> on the embedded database, SMTP from the environment.</summary>
public sealed class AlertsCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-alertscli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task AlertsRun_RedMeasure_SendsTheEmailThroughTheConfiguredSmtpServerOnce()
    {
        await using var smtp = new SmtpSink();
        var options = DatabaseOptions.ForDataDirectory(_dir);
        DatabaseSetup.Prepare(options, create: true);
        await using (var services = new ServiceCollection().AddOpenBscData(options).BuildServiceProvider())
        {
            var data = AlertsWorld.Card(out string key).WithObservation("csat", "2026-04", 20).Build();
            await services.GetRequiredService<ScorecardImport>().ImportAsync([data], new Dictionary<string, string>(), AlertsWorld.Organisation, "setup", "setup");
            using (var scope = services.CreateScope())
            {
                Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().AddAsync(AlertsWorld.Owner, AccessRole.DataUpdater, AlertsWorld.Organisation)).Succeeded);
            }

            var card = (await services.ScorecardRefAsync(key))!;
            await services.GetRequiredService<AlertRules>().AddAsync(card, new AlertRuleInput("MeasureTurnsRed", null, null, null, "owners", InApp: true, Email: true, Webhook: false), "test");
        }

        var environment = new Dictionary<string, string> { ["OpenBsc__Smtp__Host"] = "127.0.0.1", ["OpenBsc__Smtp__Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["OpenBsc__Smtp__Security"] = "none",
            // The CLI runs on the real clock: the weekly digest is moved off today so that only the alert is sent.
            ["OpenBsc__Alerts__DigestDay"] = TimeProvider.System.GetUtcNow().AddDays(3).DayOfWeek.ToString(),
        };
        var first = OpenBscCli.RunWith(environment, "alerts", "run", "--data", _dir, "--json");
        var second = OpenBscCli.RunWith(environment, "alerts", "run", "--data", _dir);
        var listed = OpenBscCli.RunWith(environment, "alerts", "deliveries", "--data", _dir, "--status", "sent");
        var badStatus = OpenBscCli.Run("alerts", "deliveries", "--data", _dir, "--status", "lost");
        var badSetting = OpenBscCli.RunWith(new() { ["OpenBsc__Smtp__Security"] = "maybe" }, "alerts", "run", "--data", _dir);

        Assert.Equal(0, first.ExitCode);
        using var json = JsonDocument.Parse(first.Out);
        Assert.Equal(1, json.RootElement.GetProperty("check").GetProperty("fired").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("send").GetProperty("sent").GetInt32());
        Assert.Contains("alerts: 0 fired, 0 cleared, 0 reminders, 0 digests; deliveries: 0 sent", second.Out, StringComparison.Ordinal);
        var mail = Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal([AlertsWorld.Owner], mail.To);
        Assert.Contains("sent\temail\towner@test.example\tattempts 1", listed.Out, StringComparison.Ordinal);
        Assert.Equal(1, badStatus.ExitCode);
        Assert.Equal(1, badSetting.ExitCode);
        Assert.Contains("OpenBsc__Smtp__Security: 'maybe' is not one of auto, starttls, ssl, none.", badSetting.Error, StringComparison.Ordinal);
    }
}
