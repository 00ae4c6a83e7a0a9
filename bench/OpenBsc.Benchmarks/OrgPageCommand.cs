using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.Benchmarks;

/// <summary>
/// <c>org-page</c> (bench/README.md, issue 19): the organisation page (<c>/</c>) of one organisation with many
/// scorecards, rendered by the real web app on a loopback port (page cache off) for a user signed in through the real
/// form. The peer, in the same run and the same app: the same page when the organisation had 10 scorecards.
/// </summary>
internal static partial class OrgPageCommand
{
    private const int Peer = 10;

    /// <summary>The page lists 50 scorecards at a time (Organisation.razor), the rest behind Next and the search box.</summary>
    private const int PageSize = 50;

    /// <summary>Timed visits of each page; ORGPAGE_VISITS raises it to keep the process busy for a profiler.</summary>
    private static readonly int Visits = int.TryParse(Environment.GetEnvironmentVariable("ORGPAGE_VISITS"), NumberStyles.None, CultureInfo.InvariantCulture, out int visits) ? visits : 20;

    /// <summary><paramref name="database"/>: <c>sqlite</c> (a new file in a temporary folder) or a PostgreSQL server's connection (a new database, dropped at the end).</summary>
    public static int Run(string database, int scorecards, int measures) => RunAsync(database, scorecards, measures).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string database, int scorecards, int measures)
    {
        var provider = DatabaseProvider.Sqlite;
        if (!database.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            // TestDatabase creates its own database (openbsc_t_…) on this server and drops only that one.
            Environment.SetEnvironmentVariable(TestPostgres.Variable, database);
            provider = DatabaseProvider.Postgres;
        }

        using var counter = new QueryCounter();
        // No log line per request: the figures are printed at the end.
        await using var app = await RunningApp.StartAsync(provider, demo: false, 10_000, "--OpenBsc:PageCache=false", "--OpenBsc:Alerts:Background=false", "--OpenBsc:RequestLog=false", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Error");
        string counted = app.DatabaseConnection is { } postgres ? new Npgsql.NpgsqlConnectionStringBuilder(postgres).Database! : Path.TrimEndingDirectorySeparator(Path.GetFullPath(app.DataDirectory));
        Console.WriteLine($"org-page on {provider}: {scorecards:N0} scorecards × {measures} measures, 12 months of observations; peer: the same page with {Peer} scorecards");

        var stored = Stopwatch.StartNew();
        await StoreAsync(app, 0, Peer, measures);
        stored.Stop();
        var few = await VisitAsync(app, counter, counted, Peer);
        Report($"{Peer} scorecards", few);

        stored.Start();
        await StoreAsync(app, Peer, scorecards, measures);
        stored.Stop();
        Console.WriteLine($"stored {scorecards:N0} scorecards ({scorecards * (long)measures * 12:N0} observations) in {stored.Elapsed.TotalSeconds:F1} s (not judged)");
        var many = await VisitAsync(app, counter, counted, scorecards);
        Report($"{scorecards:N0} scorecards", many);
        if (scorecards > PageSize)
        {
            // The last page: its scorecards are picked from the whole list too, in the same queries.
            int last = (scorecards + PageSize - 1) / PageSize;
            var end = await VisitAsync(app, counter, counted, scorecards - ((last - 1) * PageSize), $"/?page={last}");
            Report($"{scorecards:N0} scorecards, page {last}", end);
        }
        Console.WriteLine($"ratio p50 {scorecards:N0} / {Peer}: {many.P50 / few.P50:F1}×; target p50 ≤ 300 ms: {(many.P50 <= 300 ? "met" : "MISSED")}");
        return 0;
    }

    private sealed record Visit(double P50, double P90, double Max, long Bytes, int Queries, double Warm);

    private static void Report(string what, Visit v) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GET / with {what}: first (loads the snapshots) {v.Warm:F0} ms; {Visits} visits p50 {v.P50:F1} ms, p90 {v.P90:F1} ms, max {v.Max:F1} ms; {v.Bytes:N0} bytes; {v.Queries} database queries a visit"));

    /// <summary>One warm-up visit (it loads what changed), one counted visit, then <see cref="Visits"/> timed ones.</summary>
    private static async Task<Visit> VisitAsync(RunningApp app, QueryCounter counter, string database, int expected, string path = "/")
    {
        var warm = Stopwatch.StartNew();
        string html = await GetAsync(app.Client, path);
        warm.Stop();
        int listed = UnitName().Count(html);
        if (listed != Math.Min(expected, PageSize))
        {
            throw new InvalidOperationException($"{path} lists {listed} scorecards, expected {Math.Min(expected, PageSize)} of {expected}.");
        }

        int before = counter.On(database);
        await GetAsync(app.Client, path);
        int queries = counter.On(database) - before;
        var times = new double[Visits];
        for (int i = 0; i < Visits; i++)
        {
            var watch = Stopwatch.StartNew();
            html = await GetAsync(app.Client, path);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return new Visit(times[(Visits - 1) / 2], times[(int)Math.Ceiling(Visits * 0.9) - 1], times[^1], System.Text.Encoding.UTF8.GetByteCount(html), queries, warm.Elapsed.TotalMilliseconds);
    }

    /// <summary>The whole page read (the time includes the last byte).</summary>
    private static async Task<string> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }

        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Scorecards unit-NNNN of <paramref name="measures"/> measures (5 objectives) with 12 months each, 50 scorecards an import.</summary>
    private static async Task StoreAsync(RunningApp app, int from, int to, int measures)
    {
        var import = app.Services.GetRequiredService<ScorecardImport>();
        const int Batch = 50;
        for (int start = from; start < to; start += Batch)
        {
            var bundle = Enumerable.Range(start, Math.Min(Batch, to - start)).Select(i => Card(i, measures)).ToList();
            await import.ImportAsync(bundle, new Dictionary<string, string>(), "Bench org", "loader", "load");
        }
    }

    private static ScorecardData Card(int index, int measures)
    {
        var objectives = Enumerable.Range(0, 5).Select(o => new Objective
        {
            Id = $"o{o}",
            Name = $"Objective {o}",
            Measures = [.. Enumerable.Range(0, measures).Where(m => m % 5 == o).Select(m => new Measure { Id = $"m{m}", Name = $"Measure {m}", Baseline = 0, Target = 100, Aggregation = Aggregation.Average })],
        }).Where(o => o.Measures.Count > 0).ToList();
        var card = new Scorecard
        {
            Id = $"unit-{index:0000}",
            Name = $"Unit {index:0000}",
            Perspectives = [new Perspective { Id = "p", Name = "Customer", Objectives = objectives }],
        };
        var observations = new List<Observation>(measures * 12);
        for (int m = 0; m < measures; m++)
        {
            var period = Period.Month(2025, 12);
            for (int month = 0; month < 12; month++)
            {
                observations.Add(new Observation($"m{m}", period, (index * 31 + m * 7 + month * 3) % 120));
                period = period.Next();
            }
        }

        return new ScorecardData(card, observations);
    }

    [GeneratedRegex("class=\"unit-name\"")]
    private static partial Regex UnitName();
}
