using System.Diagnostics;
using System.Globalization;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Benchmarks;

/// <summary>
/// <c>memory</c>: the managed heap a loaded <see cref="ScorecardModel"/> retains, from
/// <see cref="GC.GetTotalMemory(bool)"/> (full collection) before and after, with the input data dropped.
/// Reported twice: everything the model keeps alive (it references the <see cref="Scorecard"/> definition objects),
/// and what the model adds on top of the definitions (node layout, compiled measures, observation arrays).
/// </summary>
public static class MemoryCommand
{
    /// <summary>Target: at most 24 bytes per observation held.</summary>
    public const double Target = 24;

    public static int Run(int measures)
    {
        long empty = GC.GetTotalMemory(forceFullCollection: true);
        var scorecard = SyntheticCompany.BuildScorecard(measures);
        long withDefinitions = GC.GetTotalMemory(forceFullCollection: true);

        var clock = Stopwatch.StartNew();
        var model = Build(scorecard);
        double buildSeconds = clock.Elapsed.TotalSeconds;
        scorecard = null;
        long withModel = GC.GetTotalMemory(forceFullCollection: true);

        int observations = model.ObservationCount;
        long definitions = withDefinitions - empty;
        long total = withModel - empty;
        long engine = withModel - withDefinitions;
        using var process = Process.GetCurrentProcess();
        process.Refresh();

        Console.WriteLine(Invariant($"nodes {model.Nodes.Count:N0}, observations {observations:N0}; build {buildSeconds:F2} s, peak working set {process.PeakWorkingSet64 / 1048576.0:N0} MiB"));
        Console.WriteLine(Invariant($"scorecard definition objects  {definitions,14:N0} bytes  {(double)definitions / observations,6:F2} B/observation"));
        Console.WriteLine(Invariant($"model on top of definitions   {engine,14:N0} bytes  {(double)engine / observations,6:F2} B/observation"));
        Console.WriteLine(Invariant($"model retained in total       {total,14:N0} bytes  {(double)total / observations,6:F2} B/observation  (target <= {Target} B: {((double)total / observations <= Target ? "met" : "MISSED")})"));
        GC.KeepAlive(model);
        return 0;
    }

    /// <summary>Builds from a <see cref="ScorecardData"/> that is unreachable once this returns.</summary>
    private static ScorecardModel Build(Scorecard scorecard) =>
        ScorecardModel.Build(new ScorecardData(scorecard, new SyntheticObservations(scorecard, months: 60, seed: 42)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
