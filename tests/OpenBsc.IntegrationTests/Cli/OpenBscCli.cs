using System.Diagnostics;

namespace OpenBsc.IntegrationTests.Cli;

/// <summary>Runs the built <c>openbsc</c> command (openbsc.dll beside the tests) as a separate process.</summary>
internal static class OpenBscCli
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args) => RunIn(Directory.GetCurrentDirectory(), args);

    /// <summary>Runs with extra environment variables (e.g. <c>OpenBsc__Smtp__Host</c>).</summary>
    public static Result RunWith(Dictionary<string, string> environment, params string[] args) => RunIn(Directory.GetCurrentDirectory(), environment, args);

    public static Result RunIn(string workingDirectory, params string[] args) => RunIn(workingDirectory, [], args);

    private static Result RunIn(string workingDirectory, Dictionary<string, string> environment, string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "openbsc.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openbsc {string.Join(' ', args)} did not finish in 60 s");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The repository's examples folder (found by walking up from the test binaries).</summary>
    public static string Examples
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBsc.slnx")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("OpenBsc.slnx not found above the test binaries"), "examples");
        }
    }
}
