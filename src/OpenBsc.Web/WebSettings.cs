namespace OpenBsc.Web;

/// <summary>How the web host starts: where the data is and whether a new database gets the demo organisation.</summary>
public sealed record WebSettings
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Folder of the embedded database (null = the user's data folder).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>An existing database file to open (instead of <see cref="DataDirectory"/>); it must exist.</summary>
    public string? DatabaseFile { get; init; }

    /// <summary><c>sqlite</c> or <c>postgres</c> (null = configuration, else SQLite).</summary>
    public string? Provider { get; init; }

    /// <summary>The PostgreSQL connection string (null = configuration).</summary>
    public string? Connection { get; init; }

    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Load the demo organisation into a database created by this start.</summary>
    public bool DemoOnFirstRun { get; init; } = true;

    /// <summary>
    /// Told the first administrator's one-time password on a database without users (once; never stored in clear).
    /// The default prints it to the console.
    /// </summary>
    public Action<string, string> OnAdministratorCreated { get; init; } = (name, password) =>
        Console.Out.WriteLine($"First run: sign in as '{name}' with the one-time password {password} (you will choose your own at first sign-in; it is not shown again).");

    /// <summary>Sign-in attempts (form posts) allowed per client address per minute.</summary>
    public int LoginAttemptsPerMinute { get; init; } = 10;

    /// <summary>
    /// How long a write waits for the database when another writer holds it before the request answers 503 with
    /// Retry-After (<c>OpenBsc__Database__WaitSeconds</c>).
    /// </summary>
    public int DatabaseWaitSeconds { get; init; } = 10;

    /// <summary>
    /// Uploads and file parses (observation files, scorecard files, whole definitions) handled at once; one more is
    /// answered 503 with Retry-After at once instead of queueing without bound (<c>OpenBsc__Uploads__Concurrent</c>).
    /// </summary>
    public int MaxConcurrentUploads { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Reads <c>--data</c>, <c>--database</c>, <c>--db</c>, <c>--connection</c>, <c>--urls</c> and <c>--no-demo</c> (for <c>dotnet run --project src/OpenBsc.Web</c>).</summary>
    public static WebSettings FromArgs(string[] args)
    {
        string? Value(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        return new WebSettings
        {
            DataDirectory = Value("--data"),
            DatabaseFile = Value("--database"),
            Provider = Value("--db"),
            Connection = Value("--connection"),
            Urls = Value("--urls") ?? DefaultUrls,
            DemoOnFirstRun = !args.Contains("--no-demo"),
        };
    }
}
