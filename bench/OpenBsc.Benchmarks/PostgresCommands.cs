using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Benchmarks;

/// <summary>
/// PostgreSQL figures (bench/README.md): <c>pg-import</c> (1,000,000 observations by our COPY path against
/// <c>psql \copy</c> of the same CSV) and <c>pg-load</c> (store the synthetic company, then time loading it for
/// evaluation). Each takes the server's maintenance connection and works in databases it creates.
/// </summary>
internal static class PostgresCommands
{
    /// <summary>Timed loads after the warm-up: <c>PGLOAD_RUNS</c> (default 5) — more when looking for a slow population.</summary>
    private static readonly int Loads = int.TryParse(Environment.GetEnvironmentVariable("PGLOAD_RUNS"), out int runs) && runs > 0 ? runs : 5;

    /// <summary>Target (issue 19): our validated import at least 0.8× as fast as psql <c>\copy</c> filling a copy of our table.</summary>
    public const double TargetRatio = 0.8;

    public static int Import(string server, int rows)
    {
        string csv = Path.Combine(Path.GetTempPath(), $"openbsc-observations-{rows}.csv");
        // The peer's file: the same rows with every column our table needs, as a dump of our table would hold them.
        string full = Path.Combine(Path.GetTempPath(), $"openbsc-observations-{rows}-full.csv");
        const int Months = 100;
        var calendar = ImportCommand.Flat("calendar", 1).Calendar;
        var organisationId = Guid.NewGuid();
        var scorecardId = Guid.NewGuid();
        using (var writer = new StreamWriter(csv))
        using (var fullWriter = new StreamWriter(full))
        {
            writer.WriteLine("measure,period,value");
            var first = Period.Month(2018, 1);
            for (int i = 0; i < rows; i++)
            {
                var period = first;
                for (int k = 0; k < i % Months; k++)
                {
                    period = period.Next();
                }

                double value = (i * 7919 % 10007) / 100.0;
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"m{i / Months},{period},{value}"));
                fullWriter.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{organisationId},{scorecardId},m{i / Months},{period},{period.Start(calendar).DayNumber},{value},bench,2026-01-01 00:00:00+00"));
            }
        }

        var database = Fresh(server, "openbsc_bench_import");
        DatabaseSetup.Migrate(database);
        Sql(database, "CREATE TABLE plain (measure text, period text, value double precision)");
        // The judged peer fills a copy of our observations table: the same columns, identity, primary key and index.
        Sql(database, "CREATE TABLE peer_observations (LIKE observations INCLUDING ALL)");
        string indexes = string.Join("; ", Query(database, "SELECT indexdef FROM pg_indexes WHERE tablename = 'peer_observations' ORDER BY indexname"));

        double plain = Psql(database, $"\\copy plain FROM '{csv}' CSV HEADER");
        double peer = Psql(database, $"\\copy peer_observations (\"OrganisationId\", \"ScorecardId\", \"MeasureKey\", \"Period\", \"PeriodStart\", \"Value\", \"EnteredBy\", \"EnteredAt\") FROM '{full}' CSV");

        // The user's path: ObservationImport (header, every row checked against the definition, values already held
        // looked up, history kept, binary COPY, one transaction) into the empty observations table.
        var (importRate, importSeconds) = FullImport(database, csv, rows, rows / Months);

        // For reference: our COPY alone (no CSV checks, no history look-ups), into the emptied table.
        Sql(database, "TRUNCATE observations");
        var ours = Stopwatch.StartNew();
        using (var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(database)))
        {
            var organisation = new StoredOrganisation { Id = Guid.NewGuid(), Name = "Bench", CreatedAt = DateTime.SpecifyKind(new DateTime(2026, 1, 1), DateTimeKind.Utc) };
            var scorecard = new StoredScorecard { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Key = "bench", Name = "Bench", Definition = "{}", Version = 1, UpdatedAt = organisation.CreatedAt };
            db.AddRange(organisation, scorecard);
            db.SaveChanges();
            using var transaction = db.Database.BeginTransaction();
            ObservationCopy.WriteAsync(db, ReadCsv(csv, organisation.Id, scorecard.Id, organisation.CreatedAt), keepIds: false, CancellationToken.None).GetAwaiter().GetResult();
            transaction.Commit();
            ours.Stop();
        }

        double ratio = peer / importSeconds;
        Console.WriteLine(Invariant($"{rows:N0} observations"));
        Console.WriteLine(Invariant($"import   ours (ObservationImport: validated, history kept, binary COPY) {importSeconds:F2} s = {importRate:N0} rows/s"));
        Console.WriteLine(Invariant($"         peer: psql \\copy into a copy of our table ({indexes}) {peer:F2} s = {rows / peer:N0} rows/s"));
        Console.WriteLine(Invariant($"         speed ratio ours / peer = {ratio:F2} (target ≥ {TargetRatio})"));
        Console.WriteLine(Invariant($"         for reference: psql \\copy into a plain table (3 columns, no index) {plain:F2} s: ours is {plain / importSeconds:F2}× of it; our COPY alone (no checks) {ours.Elapsed.TotalSeconds:F2} s"));
        File.Delete(csv);
        File.Delete(full);
        return ratio >= TargetRatio ? 0 : 1;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Sql(DatabaseOptions database, string sql)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static List<string> Query(DatabaseOptions database, string sql)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Runs one psql command on <paramref name="database"/> after a checkpoint; its wall time in seconds.</summary>
    private static double Psql(DatabaseOptions database, string command)
    {
        Sql(database, "CHECKPOINT");
        var b = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("psql", ["-v", "ON_ERROR_STOP=1", "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, "-d", b.Database!, "-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed: {error}");
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static (double Rate, double Seconds) FullImport(DatabaseOptions database, string csv, int rows, int measures)
    {
        using var services = new ServiceCollection().AddOpenBscData(database).BuildServiceProvider();
        var card = ImportCommand.Flat("bench-import", measures);
        services.GetRequiredService<ScorecardImport>().ImportAsync([new ScorecardData(card, [])], new Dictionary<string, string>(), "Bench", "bench", "bench").GetAwaiter().GetResult();
        var import = services.GetRequiredService<OpenBsc.Application.Features.Observations.ObservationImport>();
        Sql(database, "CHECKPOINT");
        var watch = Stopwatch.StartNew();
        using var file = File.OpenRead(csv);
        var result = import.ImportAsync(card.Id, file, OpenBsc.Application.Features.Observations.ObservationFileFormat.Csv, "observations.csv", "bench").GetAwaiter().GetResult();
        watch.Stop();
        if (!result.Succeeded || result.Summary!.Added != rows)
        {
            throw new InvalidOperationException($"the import did not add every row: {result.Refusal?.Message} {string.Join("; ", result.Errors.Take(3).Select(e => e.Format(csv)))}");
        }

        return (rows / watch.Elapsed.TotalSeconds, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Stores the synthetic company (definition + observations by COPY) in a new database; prints its connection.</summary>
    public static int Load(string server, int measures, string name, bool withDemo)
    {
        var database = Fresh(server, name);
        DatabaseSetup.Migrate(database);
        var data = SyntheticCompany.Build(measures);
        var clock = Stopwatch.StartNew();
        using (var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(database)))
        {
            var now = DateTime.SpecifyKind(new DateTime(2026, 1, 1), DateTimeKind.Utc);
            var organisation = new StoredOrganisation { Id = Guid.NewGuid(), Name = "Synthetic company", CreatedAt = now };
            var card = data.Scorecard;
            var scorecard = new StoredScorecard { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Key = card.Id, Name = card.Name, Definition = ScorecardFileWriter.ToJson(new ScorecardData(card, [])), Version = 1, DataVersion = 1, UpdatedAt = now };
            db.AddRange(organisation, scorecard);
            db.SaveChanges();
            using var transaction = db.Database.BeginTransaction();
            var rows = data.Observations.Select(o => new StoredObservation
            {
                OrganisationId = organisation.Id,
                ScorecardId = scorecard.Id,
                MeasureKey = o.Measure,
                Period = o.Period.ToString(),
                PeriodStart = o.Period.Start(card.Calendar).DayNumber,
                Value = o.Value,
                EnteredAt = now,
            });
            ulong written = ObservationCopy.WriteAsync(db, rows, keepIds: false, CancellationToken.None).GetAwaiter().GetResult();
            transaction.Commit();
            Console.WriteLine($"stored {measures:N0} measures, {written:N0} observations in {clock.Elapsed.TotalSeconds:F1} s");
        }

        if (withDemo)
        {
            using var services = new ServiceCollection().AddOpenBscData(database).BuildServiceProvider();
            services.GetRequiredService<OpenBsc.Application.Features.Demo.DemoOrganisation>().LoadAsync().GetAwaiter().GetResult();
        }

        using (var vacuum = new NpgsqlConnection(database.ConnectionString))
        {
            vacuum.Open();
            using var analyze = new NpgsqlCommand("VACUUM ANALYZE", vacuum);
            analyze.ExecuteNonQuery();
        }

        // Loading for evaluation: versions, definition, current observations of the scorecard (a new cache each time).
        var times = new List<double>();
        for (int i = 0; i < Loads + 1; i++)
        {
            using var services = new ServiceCollection().AddOpenBscData(database).BuildServiceProvider();
            var snapshots = services.GetRequiredService<ScorecardSnapshots>();
            // The previous run's snapshot is garbage now: collected before the clock starts, not during this load.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var paused = GC.GetTotalPauseDuration();
            int threads = ThreadPool.ThreadCount;
            var watch = Stopwatch.StartNew();
            var snapshot = snapshots.GetAsync(data.Scorecard.Id).GetAwaiter().GetResult()!;
            watch.Stop();
            // What a slow load differs in: collections and their pauses during it, pool threads added to it.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  load {i}: {watch.Elapsed.TotalMilliseconds:F0} ms; collections gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}, paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms; pool threads {threads} -> {ThreadPool.ThreadCount}"));
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            if (i == 0)
            {
                Console.WriteLine($"snapshot: {snapshot.Model.Nodes.Count:N0} nodes, {snapshot.Model.ObservationCount:N0} observations");
            }
        }

        var afterChange = LoadsAfterChanges(database, data.Scorecard.Id);
        Phases(database, data.Scorecard.Id);
        times.Sort();
        Console.WriteLine($"load for evaluation (ms, {Loads} runs after a warm-up): {string.Join(" ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}; median {times[Loads / 2]:F0}");
        afterChange.Sort();
        Console.WriteLine($"load after a change, one running node (ms, {Loads} runs after a warm-up): {string.Join(" ", afterChange.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}; median {afterChange[Loads / 2]:F0}");
        // The JIT's settings and precompilation decide these figures (bench/README.md "JIT settings for a server").
        var jit = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("DOTNET_T", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").ToList();
        Console.WriteLine($"JIT settings: {(jit.Count == 0 ? ".NET's defaults" : string.Join(" ", jit))}; our code precompiled (ReadyToRun): {(IsReadyToRun(typeof(ScorecardSnapshots).Assembly.Location) ? "yes" : "no")}");
        Console.WriteLine(database.ConnectionString);
        return 0;
    }

    private static bool IsReadyToRun(string assembly)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>
    /// The load a running node makes when someone has entered a value: one service provider for every load (as a web
    /// node has), the scorecard's data version moved before each, so its snapshot is read and built again.
    /// </summary>
    private static List<double> LoadsAfterChanges(DatabaseOptions database, string key)
    {
        var times = new List<double>();
        using var services = new ServiceCollection().AddOpenBscData(database).BuildServiceProvider();
        using var change = new NpgsqlConnection(database.ConnectionString);
        change.Open();
        for (int i = 0; i < Loads + 1; i++)
        {
            using (var bump = new NpgsqlCommand("UPDATE scorecards SET \"DataVersion\" = \"DataVersion\" + 1 WHERE \"Key\" = @key", change))
            {
                bump.Parameters.AddWithValue("key", key);
                bump.ExecuteNonQuery();
            }

            using var scope = services.CreateScope();
            var snapshots = scope.ServiceProvider.GetRequiredService<ScorecardSnapshots>();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var watch = Stopwatch.StartNew();
            snapshots.GetAsync(key).GetAwaiter().GetResult();
            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  after change {i}: {watch.Elapsed.TotalMilliseconds:F0} ms"));
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    /// <summary>Where the load's time goes: the definition parse, the rows read, the observations made, the model built.</summary>
    private static void Phases(DatabaseOptions database, string key)
    {
        using var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(database));
        var watch = Stopwatch.StartNew();
        var stored = db.Scorecards.AsNoTracking().Where(s => s.Key == key).Select(s => new { s.Id, s.Definition }).Single();
        double read = watch.Elapsed.TotalMilliseconds;
        var card = OpenBsc.Application.Features.ScorecardFiles.ScorecardFileReader.ParseStored(stored.Definition, key);
        double parsed = watch.Elapsed.TotalMilliseconds;
        // Rows as ScorecardSnapshots reads them: a plain reader, each distinct period text parsed once.
        var observations = new List<Observation>();
        var periods = new Dictionary<string, Period>(StringComparer.Ordinal);
        using (var raw = new NpgsqlConnection(database.ConnectionString))
        {
            raw.Open();
            using var command = new NpgsqlCommand("SELECT \"MeasureKey\", \"Segment\", \"Period\", \"Value\", \"Note\" FROM observations WHERE \"ScorecardId\" = @id AND \"SupersededAt\" IS NULL", raw);
            command.Parameters.AddWithValue("id", stored.Id);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                string text = reader.GetString(2);
                if (!periods.TryGetValue(text, out var period))
                {
                    period = periods[text] = Period.Parse(text);
                }

                observations.Add(new Observation(reader.GetString(0), period, reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        double made = watch.Elapsed.TotalMilliseconds;
        var model = OpenBsc.Domain.Scoring.ScorecardModel.Build([new ScorecardData(card, observations)]);
        double built = watch.Elapsed.TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phases (ms): definition read {read:F0}, parsed {parsed - read:F0}; rows read into observations {made - parsed:F0}; model built {built - made:F0} ({model.ObservationCount:N0})"));
    }

    private static IEnumerable<StoredObservation> ReadCsv(string file, Guid organisation, Guid scorecard, DateTime now)
    {
        foreach (string line in File.ReadLines(file).Skip(1))
        {
            string[] parts = line.Split(',');
            var period = Period.Parse(parts[1]);
            yield return new StoredObservation
            {
                OrganisationId = organisation,
                ScorecardId = scorecard,
                MeasureKey = parts[0],
                Period = parts[1],
                PeriodStart = period.Start(FiscalCalendar.Gregorian).DayNumber,
                Value = double.Parse(parts[2], CultureInfo.InvariantCulture),
                EnteredAt = now,
            };
        }
    }

    private static DatabaseOptions Fresh(string server, string name)
    {
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }

        return DatabaseOptions.ForPostgres(new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString());
    }
}
