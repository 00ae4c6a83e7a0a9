namespace OpenBsc.Cli;

/// <summary>The CLI's exit codes (docs/cli.md): one table, used by every verb.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Invalid input, with the file, line or row and field named.</summary>
    public const int InvalidInput = 1;

    /// <summary>Environment failure: file unreadable, database unreachable.</summary>
    public const int EnvironmentFailure = 2;

    /// <summary>A conflicting change (someone else's edit).</summary>
    public const int Conflict = 3;
}
