using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Connectors;
using OpenBsc.Application.Features.Security;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>Opens the database with the connector settings of the environment (<c>OpenBsc__Connectors__*</c>) for a sources verb.</summary>
internal static class SourcesDatabase
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs <paramref name="work"/> with the connector settings read from the environment.</summary>
    public static int Run(DataSettings settings, Func<IServiceProvider, int> work) =>
        Database.RunWith(settings, ConnectorSettings.Read, work);

    /// <summary>The source named <paramref name="name"/> (any organisation's; the oldest first), or null with the error printed.</summary>
    public static (Guid Organisation, SourceEntry Source)? Find(IServiceProvider services, string name)
    {
        var sources = services.GetRequiredService<DataSources>();
        var found = sources.FindAsync(null, name).GetAwaiter().GetResult();
        if (found is null)
        {
            Console.Error.WriteLine($"error: there is no source '{name}' (openbsc sources list shows them).");
            return null;
        }

        return (sources.OrganisationOfAsync(found.Id).GetAwaiter().GetResult()!.Value, found);
    }
}

/// <summary><c>openbsc sources list</c>: every source with its kind, schedule and last run.</summary>
public sealed class SourcesListCommand : Command<SourcesListCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandOption("--json")]
        [Description("Print the sources as JSON (never their secrets).")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        SourcesDatabase.Run(settings, services =>
        {
            var system = services.GetRequiredService<SystemDbContexts>();
            using var db = system.CreateDbContextAsync(cancellationToken).GetAwaiter().GetResult();
            var organisations = db.Organisations.Select(o => o.Id).ToList();
            var rows = new List<object>();
            foreach (var organisation in organisations)
            {
                foreach (var source in services.GetRequiredService<DataSources>().ListAsync(organisation, cancellationToken).GetAwaiter().GetResult())
                {
                    var history = services.GetRequiredService<SourceRuns>().HistoryAsync(organisation, source.Id, 1, cancellationToken).GetAwaiter().GetResult();
                    var last = history.Count > 0 ? history[0] : null;
                    rows.Add(new { source.Definition.Name, source.Definition.Kind, source.Definition.Schedule, source.Definition.Cron, Scorecards = source.Definition.Bindings.Select(b => b.Scorecard).Distinct().ToList(), LastRun = last });
                    if (!settings.Json)
                    {
                        string schedule = source.Definition.Schedule switch
                        {
                            "cron" => $"cron {source.Definition.Cron}",
                            "after-close" => $"{source.Definition.DaysAfterClose} days after each period closes",
                            _ => "on demand",
                        };
                        string run = last is null ? "never run" : $"last run {last.StartedAt:yyyy-MM-dd HH:mm} UTC {last.Status}";
                        Console.Out.WriteLine($"{source.Definition.Name}\t{source.Definition.Kind}\t{schedule}\t{run}");
                    }
                }
            }

            if (settings.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, SourcesDatabase.Json));
            }
            else if (rows.Count == 0)
            {
                Console.Out.WriteLine("No sources (add one on the Sources page or with POST /api/v1/sources).");
            }

            return ExitCodes.Success;
        });
}

/// <summary>The NAME argument of <c>sources test|run</c>.</summary>
public class SourceNameSettings : DataSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The source's name.")]
    public string Name { get; init; } = "";

    [CommandOption("--json")]
    [Description("Print the result as JSON.")]
    public bool Json { get; init; }
}

/// <summary><c>openbsc sources test NAME</c>: reads the source and checks its rows as a run would; stores nothing.</summary>
public sealed class SourcesTestCommand : Command<SourceNameSettings>
{
    public override int Execute(CommandContext context, SourceNameSettings settings, CancellationToken cancellationToken) =>
        SourcesDatabase.Run(settings, services =>
        {
            if (SourcesDatabase.Find(services, settings.Name) is not { } found)
            {
                return ExitCodes.InvalidInput;
            }

            var preview = services.GetRequiredService<SourceRuns>().PreviewAsync(found.Organisation, found.Source.Id, cancellationToken).GetAwaiter().GetResult();
            if (settings.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(preview, SourcesDatabase.Json));
            }
            else if (preview.Error is { } error)
            {
                Console.Error.WriteLine($"error: {found.Source.Definition.Name}: {error}");
            }
            else
            {
                Console.Out.WriteLine($"{found.Source.Definition.Name}: {preview.RowsRead:N0} rows read; a run would add {preview.Added:N0}, correct {preview.Corrected:N0}, leave {preview.Unchanged:N0} unchanged (nothing was stored).");
            }

            return preview.Succeeded ? ExitCodes.Success : ExitCodes.InvalidInput;
        });
}

/// <summary><c>openbsc sources run NAME</c>: runs the source now (unless a node is running it) and prints the run.</summary>
public sealed class SourcesRunCommand : Command<SourceNameSettings>
{
    public override int Execute(CommandContext context, SourceNameSettings settings, CancellationToken cancellationToken) =>
        SourcesDatabase.Run(settings, services =>
        {
            if (SourcesDatabase.Find(services, settings.Name) is not { } found)
            {
                return ExitCodes.InvalidInput;
            }

            var run = services.GetRequiredService<SourceRuns>().RunAsync(found.Organisation, found.Source.Id, "demand", Database.Actor, cancellationToken).GetAwaiter().GetResult();
            if (run is null)
            {
                Console.Error.WriteLine($"error: {found.Source.Definition.Name} is being run already (by a web node or another command); try again when it is done.");
                return ExitCodes.Conflict;
            }

            if (settings.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(run, SourcesDatabase.Json));
            }
            else if (run.Status == "failed")
            {
                Console.Error.WriteLine($"error: {found.Source.Definition.Name} run {run.Id} failed: {run.Error}");
            }
            else
            {
                Console.Out.WriteLine($"{found.Source.Definition.Name} run {run.Id}: {run.Status}; {run.RowsRead:N0} rows read, {run.Added:N0} added, {run.Corrected:N0} corrected, {run.Unchanged:N0} unchanged.");
            }

            return run.Status == "failed" ? ExitCodes.InvalidInput : ExitCodes.Success;
        });
}
