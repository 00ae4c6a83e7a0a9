using OpenBsc.Application.Features.ScorecardFiles;

namespace OpenBsc.Cli.Commands;

/// <summary>Prints load errors to standard error and picks the exit code (one mapping for every verb).</summary>
internal static class Report
{
    public static int Errors(ScorecardLoadResult result)
    {
        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine(FileError.Format(error));
        }

        int count = result.Errors.Count;
        Console.Error.WriteLine(result.EnvironmentFailure
            ? "The file could not be read."
            : $"{count} error{(count == 1 ? string.Empty : "s")}; nothing was scored or written.");
        return result.EnvironmentFailure ? ExitCodes.EnvironmentFailure : ExitCodes.InvalidInput;
    }

    /// <summary>Reads a period option; on failure prints what is expected and gives exit code 1.</summary>
    public static bool TryPeriod(string? text, string option, out Domain.Periods.Period period, out int exitCode)
    {
        period = default;
        exitCode = ExitCodes.Success;
        if (text is null)
        {
            exitCode = InvalidOption($"{option} PERIOD is required: expected {Domain.Periods.Period.AcceptedForms}.");
            return false;
        }

        if (!Domain.Periods.Period.TryParse(text, out period))
        {
            exitCode = InvalidOption($"{option} '{text}' is not a period: expected {Domain.Periods.Period.AcceptedForms}.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads <c>--today</c>: the given date, or today's date on this computer. On failure prints what is expected and
    /// gives exit code 1.
    /// </summary>
    public static bool TryToday(string? text, out DateOnly today, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        if (text is null)
        {
            today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
            return true;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out today))
        {
            exitCode = InvalidOption($"--today '{text}' is not a date: expected YYYY-MM-DD, e.g. 2026-12-07.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Writes a verb's text to standard output, or to <paramref name="output"/> (exit 2 when it cannot be written;
    /// exit 3 when it exists and <paramref name="overwrite"/> is false), then says what was written.
    /// </summary>
    public static int Write(string text, string? output, bool overwrite, string done)
    {
        if (output is null)
        {
            Console.Out.Write(text);
            return ExitCodes.Success;
        }

        if (!overwrite && File.Exists(output))
        {
            Console.Error.WriteLine($"error: {output} exists; nothing was written (choose another file or remove it first).");
            return ExitCodes.Conflict;
        }

        try
        {
            File.WriteAllText(output, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot write {output}: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }

        Console.Error.WriteLine(done);
        return ExitCodes.Success;
    }

    public static int InvalidOption(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
