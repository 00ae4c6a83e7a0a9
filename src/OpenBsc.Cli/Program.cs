using OpenBsc.Cli;
using OpenBsc.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("openbsc");
    // openbsc --version (the same text as the web footer and /api/v1/version).
    config.SetApplicationVersion(OpenBsc.Application.AppVersion.Display);
    config.UseStrictParsing();
    config.AddCommand<ValidateCommand>("validate")
        .WithDescription("Check a scorecard file; prints 'valid' or every error with file, line and field.")
        .WithExample("validate", "examples/customer-support.yaml");
    config.AddCommand<ScoreCommand>("score")
        .WithDescription("Score a scorecard file for a period: a tree table, or JSON with --json.")
        .WithExample("score", "examples/customer-support.yaml", "--at", "2026-Q1")
        .WithExample("score", "examples/customer-support.yaml", "--at", "2026-03", "--ytd", "--json");
    config.AddCommand<AnalyzeCommand>("analyze")
        .WithDescription("Analyse a scorecard file at a period: forecasts predicted to miss, cause-effect link checks, detected tensions, best and worst performers, absolute weights.")
        .WithExample("analyze", "examples/customer-support.yaml", "--at", "2026-11")
        .WithExample("analyze", "examples/customer-support.yaml", "--at", "2026-11", "--forecast-to", "2027-06", "--json");
    config.AddCommand<ReportCommand>("report")
        .WithDescription("Write a scorecard report for a period: PDF (cover, strategy map, dashboard, a section per perspective, initiatives), XLSX (a sheet per perspective) or printable HTML.")
        .WithExample("report", "customer-support", "--at", "2026-Q3", "--format", "pdf", "-o", "support-q3.pdf")
        .WithExample("report", "examples/customer-support.yaml", "--at", "2026-06", "-o", "june.xlsx")
        .WithExample("report", "--book", "Monthly executive review", "--at", "2026-11", "-o", "review.pdf");
    config.AddCommand<ExportCommand>("export")
        .WithDescription("Write a scorecard file back out as JSON or YAML (same meaning). (A stored scorecard's observations as CSV or XLSX: 'openbsc observations export'.)")
        .WithExample("export", "card.yaml", "--to", "json", "-o", "card.json");
    config.AddCommand<ExportCommand>("convert")
        .WithDescription("Same as export: convert a scorecard file between YAML and JSON.")
        .WithExample("convert", "card.json", "--to", "yaml");
    config.AddCommand<NewCommand>("new")
        .WithDescription("Start a scorecard file from a template (for-profit, nonprofit, municipality, customer-support, loyalty-retention).")
        .WithExample("new", "--template", "nonprofit", "-o", "foundation.yaml");
    config.AddCommand<ServeCommand>("serve")
        .WithDescription("Run the web UI (http://127.0.0.1:5080) on the embedded database; a new database gets the demo organisation.")
        .WithExample("serve")
        .WithExample("serve", "--data", "./data", "--urls", "http://127.0.0.1:8080")
        .WithExample("serve", "--db", "postgres", "--connection", "Host=db;Database=openbsc;Username=openbsc", "--no-demo");
    config.AddCommand<ImportCommand>("import")
        .WithDescription("Store a scorecard file (and the files it cascades from) in the database: all or nothing. (Observations from CSV or XLSX: 'openbsc observations import'.)")
        .WithExample("import", "examples/customer-support.yaml");
    config.AddCommand<DemoCommand>("demo")
        .WithDescription("Load the demo organisation: a company scorecard cascading from a customer-support scorecard.")
        .WithExample("demo", "--data", "./data");
    config.AddBranch("observations", observations =>
    {
        observations.SetDescription("Observation files of a stored scorecard: import a CSV or XLSX (all or nothing, every bad row listed), export as CSV or XLSX.");
        observations.AddCommand<ImportObservationsCommand>("import")
            .WithDescription("Load observations from .csv or .xlsx into a stored scorecard: all or nothing, every bad row listed as FILE:row N: column: value: expected ….")
            .WithExample("observations", "import", "values.csv", "--scorecard", "support-2026");
        observations.AddCommand<ExportObservationsCommand>("export")
            .WithDescription("Write a stored scorecard's observations to .csv or .xlsx, streamed; --history adds superseded values with who, when and why.")
            .WithExample("observations", "export", "--scorecard", "support-2026", "-o", "observations.xlsx")
            .WithExample("observations", "export", "--scorecard", "support-2026", "-o", "history.csv", "--history");
    });
    config.AddBranch("db", db =>
    {
        db.SetDescription("The database: create or upgrade its schema, copy an installation to PostgreSQL.");
        db.AddCommand<DbMigrateCommand>("migrate")
            .WithDescription("Create or upgrade the schema on purpose (serve on PostgreSQL refuses to start while migrations are pending).")
            .WithExample("db", "migrate", "--db", "postgres", "--connection", "Host=db;Database=openbsc;Username=openbsc");
        db.AddCommand<DbCopyCommand>("copy")
            .WithDescription("Copy every table (observation history included) into a new database, then compare counts and scores.")
            .WithExample("db", "copy", "--from", "sqlite:openbsc.db", "--to", "postgres:Host=db;Database=openbsc;Username=openbsc");
    });
    config.AddBranch("users", users =>
    {
        users.SetDescription("Users and roles: add (one-time password printed once), list, disable, reset, role.");
        users.AddCommand<UsersAddCommand>("add").WithDescription("Add a user (e-mail) with a role; prints a one-time password.")
            .WithExample("users", "add", "ana@example.org", "--role", "editor");
        users.AddCommand<UsersListCommand>("list").WithDescription("List users, their organisation, role and scorecard roles.");
        users.AddCommand<UsersDisableCommand>("disable").WithDescription("Disable a user: sessions and API tokens stop at once (--enable undoes it).");
        users.AddCommand<UsersResetCommand>("reset").WithDescription("Give a user a new one-time password (printed once); their sessions end.");
        users.AddCommand<UsersRoleCommand>("role").WithDescription("Set a user's organisation role, or with --scorecard their role on one scorecard.")
            .WithExample("users", "role", "ben@example.org", "updater", "--scorecard", "customer-support");
    });
    config.AddBranch("alerts", alerts =>
    {
        alerts.SetDescription("Alerts: run one pass (check rules, send due e-mails and webhooks), list the outbox. SMTP from OpenBsc__Smtp__* (docs/alerts.md).");
        alerts.AddCommand<AlertsRunCommand>("run")
            .WithDescription("Check every alert rule, queue alerts, reminders and digests, then send the due deliveries (with retries); for cron or installations without a web node.")
            .WithExample("alerts", "run", "--data", "./data")
            .WithExample("alerts", "run", "--db", "postgres", "--connection", "Host=db;Database=openbsc;Username=openbsc", "--json");
        alerts.AddCommand<AlertsDeliveriesCommand>("deliveries")
            .WithDescription("List the outbox of e-mails and webhook calls with status, attempts and the last error.")
            .WithExample("alerts", "deliveries", "--status", "failed");
    });
    config.AddBranch("sources", sources =>
    {
        sources.SetDescription("Data connectors: list sources, test one (read and check, store nothing), run one now (docs/connectors.md).");
        sources.AddCommand<SourcesListCommand>("list")
            .WithDescription("List the sources with their kind, schedule and last run.")
            .WithExample("sources", "list", "--json");
        sources.AddCommand<SourcesTestCommand>("test")
            .WithDescription("Read the source and check its rows as a run would; nothing is stored. Exit code 1 when it cannot be read or a row is bad.")
            .WithExample("sources", "test", "Finance warehouse");
        sources.AddCommand<SourcesRunCommand>("run")
            .WithDescription("Run the source now: store its values (all or nothing), record the run; exit code 3 when a node is running it already.")
            .WithExample("sources", "run", "Finance warehouse");
    });
    config.AddBranch("library", library =>
    {
        library.SetDescription("The customer measure library: fully defined customer-perspective measures to add to a scorecard.");
        library.AddCommand<LibraryListCommand>("list")
            .WithDescription("List library measures; filter by --concern, --outcome, --value-proposition or --search; --json for every field.")
            .WithExample("library", "list", "--concern", "time")
            .WithExample("library", "list", "--outcome", "retention", "--json");
        library.AddCommand<LibraryShowCommand>("show")
            .WithDescription("Show one library measure: every field, formula and inputs, and the YAML to paste into a scorecard file.")
            .WithExample("library", "show", "net-promoter-score");
    });
    config.SetExceptionHandler((exception, _) =>
    {
        // Parse errors (unknown option, missing argument) are invalid input: exit 1, not Spectre's -1.
        Console.Error.WriteLine($"error: {exception.Message}");
        if (Environment.GetEnvironmentVariable("OPENBSC_TRACE") == "1")
        {
            Console.Error.WriteLine(exception);
        }

        return exception is CommandAppException ? ExitCodes.InvalidInput : ExitCodes.EnvironmentFailure;
    });
});

return app.Run(args);
