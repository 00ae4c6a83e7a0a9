using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Application.Features.Alerts;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>Opens the database with the alert settings of the environment (<c>OpenBsc__Smtp__Host</c>, …) for an alerts verb.</summary>
internal static class AlertsDatabase
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs <paramref name="work"/> with the alert settings read from the environment.</summary>
    public static int Run(DataSettings settings, Func<IServiceProvider, int> work) =>
        Database.RunWith(settings, AlertSettings.Read, work);
}

/// <summary>
/// <c>openbsc alerts run</c>: one alert pass — check every rule, write alerts, reminders and digests into the
/// outbox, then send what is due — for cron, or for installations that run no web node.
/// </summary>
public sealed class AlertsRunCommand : Command<AlertsRunCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandOption("--json")]
        [Description("Print what the pass did as JSON.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        AlertsDatabase.Run(settings, services =>
        {
            var result = services.GetRequiredService<AlertPass>().RunAsync(cancellationToken).GetAwaiter().GetResult();
            Console.Out.WriteLine(settings.Json
                ? JsonSerializer.Serialize(result, AlertsDatabase.Json)
                : $"alerts: {result.Check.Fired} fired, {result.Check.Cleared} cleared, {result.Check.Reminders} reminders, {result.Check.Digests} digests; "
                    + $"deliveries: {result.Send.Sent} sent, {result.Send.Retrying} to retry, {result.Send.Failed} failed.");
            return ExitCodes.Success;
        });
}

/// <summary><c>openbsc alerts deliveries</c>: the outbox, newest first, with attempts and the last error.</summary>
public sealed class AlertsDeliveriesCommand : Command<AlertsDeliveriesCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandOption("--status <STATUS>")]
        [Description("Only deliveries with this status: pending, sending, sent or failed.")]
        public string? Status { get; init; }

        [CommandOption("--json")]
        [Description("Print the deliveries as JSON.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Status is not (null or DeliveryStatus.Pending or DeliveryStatus.Sending or DeliveryStatus.Sent or DeliveryStatus.Failed))
        {
            Console.Error.WriteLine($"error: --status '{settings.Status}' is not a status: use pending, sending, sent or failed.");
            return ExitCodes.InvalidInput;
        }

        return AlertsDatabase.Run(settings, services =>
        {
            var sender = services.GetRequiredService<DeliverySender>();
            List<Guid> organisations;
            using (var db = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext>>().CreateDbContext())
            {
                organisations = [.. db.Organisations.Select(o => o.Id)];
            }

            var rows = organisations.SelectMany(o => sender.ListAsync(o, settings.Status, cancellationToken: cancellationToken).GetAwaiter().GetResult()).OrderByDescending(d => d.Id).ToList();
            if (settings.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, AlertsDatabase.Json));
                return ExitCodes.Success;
            }

            foreach (var d in rows)
            {
                Console.Out.WriteLine($"{d.Id}\t{d.Status}\t{d.Channel}\t{d.Target}\tattempts {d.Attempts}\t{d.Subject}{(d.LastError is null ? "" : "\t" + d.LastError)}");
            }

            Console.Out.WriteLine($"{rows.Count} deliver{(rows.Count == 1 ? "y" : "ies")}.");
            return ExitCodes.Success;
        });
    }
}
