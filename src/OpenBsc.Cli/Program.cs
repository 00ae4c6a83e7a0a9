using OpenBsc.Cli;
using OpenBsc.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("openbsc");
    config.UseStrictParsing();
    config.AddCommand<ValidateCommand>("validate")
        .WithDescription("Check a scorecard file; prints 'valid' or every error with file, line and field.")
        .WithExample("validate", "examples/customer-support.yaml");
    config.AddCommand<ScoreCommand>("score")
        .WithDescription("Score a scorecard file for a period: a tree table, or JSON with --json.")
        .WithExample("score", "examples/customer-support.yaml", "--at", "2026-Q1")
        .WithExample("score", "examples/customer-support.yaml", "--at", "2026-03", "--ytd", "--json");
    config.AddCommand<ExportCommand>("export")
        .WithDescription("Write a scorecard file back out as JSON or YAML (same meaning).")
        .WithExample("export", "card.yaml", "--to", "json", "-o", "card.json");
    config.AddCommand<ExportCommand>("convert")
        .WithDescription("Same as export: convert a scorecard file between YAML and JSON.")
        .WithExample("convert", "card.json", "--to", "yaml");
    config.SetExceptionHandler((exception, _) =>
    {
        // Parse errors (unknown option, missing argument) are invalid input: exit 1, not Spectre's -1.
        Console.Error.WriteLine($"error: {exception.Message}");
        return exception is CommandAppException ? ExitCodes.InvalidInput : ExitCodes.EnvironmentFailure;
    });
});

return app.Run(args);
