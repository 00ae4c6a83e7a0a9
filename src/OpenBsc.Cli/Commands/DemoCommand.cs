using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Demo;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc demo</c>: loads the demo organisation (company and customer-support scorecards, two years of data).</summary>
public sealed class DemoCommand : Command<DataSettings>
{
    public override int Execute(CommandContext context, DataSettings settings, CancellationToken cancellationToken) =>
        Database.Run(settings, services =>
        {
            foreach (var s in services.GetRequiredService<DemoOrganisation>().LoadAsync(cancellationToken).GetAwaiter().GetResult())
            {
                Console.Out.WriteLine($"{(s.Created ? "created" : "updated")} scorecard '{s.ScorecardKey}': {s.Added} observations added, {s.Corrected} corrected, {s.Unchanged} unchanged");
            }
        });
}
