using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Benchmarks;

/// <summary>
/// The baseline peer: the same scorecard and observations in an in-process DuckDB, scored by SQL.
/// Tables: <c>nodes(id, parent, kind, weight, depth)</c>, <c>measures(id, direction, baseline, target)</c>,
/// <c>observations(measure, month_index, value)</c>, loaded with DuckDB's appender.
/// </summary>
/// <remarks>
/// Node ids are the engine's node indices (pre-order: scorecard, perspectives, and per objective its
/// measures, then its sub-objectives), so results compare index by index. The SQL covers the subset of
/// SCORING.md the synthetic company uses, and <see cref="Load"/> refuses anything else: monthly measures,
/// linear progress scoring clamped to [0, 1], constant weights, weighted rollup, missing children ignored
/// (weights renormalised), weight 0 not counted, one observation per measure and month.
/// </remarks>
public sealed class DuckDbScorecard : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly DuckDBCommand _query;
    private readonly DuckDBParameter _month;

    private DuckDbScorecard(DuckDBConnection connection, string[] ids, int maxDepth)
    {
        _connection = connection;
        Ids = ids;
        _query = connection.CreateCommand();
        _query.CommandText = RollupSql(maxDepth);
        _month = new DuckDBParameter("month", 0);
        _query.Parameters.Add(_month);
    }

    /// <summary>Node ids as the scorecard writes them, by node index.</summary>
    public IReadOnlyList<string> Ids { get; }

    public int NodeCount => Ids.Count;

    /// <summary>The month index DuckDB stores: year × 12 + month − 1.</summary>
    public static int MonthIndex(Period month) =>
        month.Kind == PeriodKind.Month ? month.Year * 12 + month.Number - 1 : throw new ArgumentException($"{month} is not a month.", nameof(month));

    /// <summary>Creates an in-memory database and loads <paramref name="data"/> into it.</summary>
    public static DuckDbScorecard Load(ScorecardData data)
    {
        var tree = Flatten(data.Scorecard);
        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            Execute(connection, """
                CREATE TABLE nodes (id INTEGER NOT NULL, parent INTEGER, kind VARCHAR NOT NULL, weight DOUBLE NOT NULL, depth INTEGER NOT NULL);
                CREATE TABLE measures (id INTEGER NOT NULL, direction VARCHAR NOT NULL, baseline DOUBLE NOT NULL, target DOUBLE NOT NULL);
                CREATE TABLE observations (measure INTEGER NOT NULL, month_index INTEGER NOT NULL, value DOUBLE NOT NULL);
                """);

            var measureNode = new Dictionary<string, int>(StringComparer.Ordinal);
            using (var nodes = connection.CreateAppender("nodes"))
            using (var measures = connection.CreateAppender("measures"))
            {
                foreach (var node in tree)
                {
                    var row = nodes.CreateRow().AppendValue(node.Index);
                    row = node.Parent < 0 ? row.AppendNullValue() : row.AppendValue(node.Parent);
                    row.AppendValue(node.Kind).AppendValue(node.Weight).AppendValue(node.Depth).EndRow();
                    if (node.Measure is { } measure)
                    {
                        measureNode.Add(measure.Id, node.Index);
                        measures.CreateRow()
                            .AppendValue(node.Index)
                            .AppendValue(measure.Direction == Direction.Increase ? "increase" : "decrease")
                            .AppendValue(measure.Baseline!.Value)
                            .AppendValue(measure.Target!.Value)
                            .EndRow();
                    }
                }
            }

            using (var observations = connection.CreateAppender("observations"))
            {
                foreach (var observation in data.Observations)
                {
                    observations.CreateRow()
                        .AppendValue(measureNode[observation.Measure])
                        .AppendValue(MonthIndex(observation.Period))
                        .AppendValue(observation.Value)
                        .EndRow();
                }
            }

            return new DuckDbScorecard(connection, [.. tree.Select(n => n.Id)], tree.Max(n => n.Depth));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Scores every node for <paramref name="month"/> (NaN = no score), reading every row the query returns.
    /// </summary>
    public double[] Scores(Period month)
    {
        var scores = new double[NodeCount];
        Array.Fill(scores, double.NaN);
        _month.Value = MonthIndex(month);
        using var reader = _query.ExecuteReader();
        while (reader.Read())
        {
            if (!reader.IsDBNull(1))
            {
                scores[reader.GetInt32(0)] = reader.GetDouble(1);
            }
        }

        return scores;
    }

    /// <summary>DuckDB's worker thread count (its default is one per core).</summary>
    public long Threads()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT current_setting('threads')";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _query.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// One CTE per tree level, bottom-up: s{d} holds the scores of depth d, i.e. the measures at that depth
    /// plus each container's weighted mean over its children in s{d+1} that have a score and a weight &gt; 0.
    /// A container with no such child gets no row: "no data", as the engine's NaN.
    /// </summary>
    internal static string RollupSql(int maxDepth)
    {
        var sql = new StringBuilder();
        sql.Append("""
            WITH ms AS MATERIALIZED (
                SELECT id, parent, weight, depth,
                       CASE WHEN progress < 0 THEN 0.0 WHEN progress > 1 THEN 1.0 ELSE progress END AS score
                FROM (
                    SELECT n.id, n.parent, n.weight, n.depth, (o.value - m.baseline) / (m.target - m.baseline) AS progress
                    FROM measures m
                    JOIN nodes n ON n.id = m.id
                    LEFT JOIN observations o ON o.measure = m.id AND o.month_index = $month
                )
            )
            """);
        sql.Append(CultureInfo.InvariantCulture, $",\ns{maxDepth} AS MATERIALIZED (SELECT id, parent, weight, score FROM ms WHERE depth = {maxDepth})");
        for (int d = maxDepth - 1; d >= 0; d--)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                ,
                s{d} AS MATERIALIZED (
                    SELECT id, parent, weight, score FROM ms WHERE depth = {d}
                    UNION ALL
                    SELECT p.id, p.parent, p.weight, sum(c.weight * c.score) / sum(c.weight)
                    FROM s{d + 1} c JOIN nodes p ON p.id = c.parent
                    WHERE c.weight > 0 AND c.score IS NOT NULL
                    GROUP BY p.id, p.parent, p.weight
                )
                """);
        }

        sql.Append('\n');
        for (int d = 0; d <= maxDepth; d++)
        {
            sql.Append(d == 0 ? "SELECT id, score FROM s0" : $"\nUNION ALL SELECT id, score FROM s{d}");
        }

        return sql.ToString();
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record Node(int Index, int Parent, string Kind, double Weight, int Depth, string Id, Measure? Measure);

    /// <summary>The tree in the engine's node order, with each node's weight as a child of its parent.</summary>
    private static List<Node> Flatten(Scorecard card)
    {
        if (card.Missing != MissingDataPolicy.Ignore || card.Rollup != RollupMethod.Weighted || card.Overachievement != 1.0
            || card.Cascade.Count > 0)
        {
            throw new NotSupportedException("The DuckDB peer scores only weighted rollups ignoring missing children, without over-achievement or cascades.");
        }

        var nodes = new List<Node>();
        nodes.Add(new(0, -1, "scorecard", 1, 0, card.Id, null));
        foreach (var perspective in card.Perspectives)
        {
            Supported(perspective.Rollup, perspective.Id);
            int p = nodes.Count;
            nodes.Add(new(p, 0, "perspective", ConstantWeight(perspective.Weight, perspective.Id), 1, perspective.Id, null));
            foreach (var objective in perspective.Objectives)
            {
                AddObjective(objective, p, 2);
            }
        }

        return nodes;

        void AddObjective(Objective objective, int parent, int depth)
        {
            Supported(objective.Rollup, objective.Id);
            int o = nodes.Count;
            nodes.Add(new(o, parent, "objective", ConstantWeight(objective.Weight, objective.Id), depth, objective.Id, null));
            foreach (var measure in objective.Measures)
            {
                if (measure is not { Frequency: PeriodKind.Month, Scoring.Type: ScoringType.Linear, Scale: Scale.Progress, Formula: null, Inherit: null, Baseline: not null, Target: not null }
                    || measure.Targets.Count > 0 || measure.Direction == Direction.Range)
                {
                    throw new NotSupportedException($"Measure '{measure.Id}': the DuckDB peer scores only monthly linear progress with a constant baseline and target.");
                }

                nodes.Add(new(nodes.Count, o, "measure", ConstantWeight(measure.Weight, measure.Id), depth + 1, measure.Id, measure));
            }

            foreach (var sub in objective.Objectives)
            {
                AddObjective(sub, o, depth + 1);
            }
        }

        static void Supported(RollupMethod rollup, string id)
        {
            if (rollup != RollupMethod.Weighted)
            {
                throw new NotSupportedException($"'{id}': the DuckDB peer scores only weighted rollups, not {rollup}.");
            }
        }

        static double ConstantWeight(Weight weight, string id) =>
            weight.IsConstant ? weight.Base : throw new NotSupportedException($"'{id}': the DuckDB peer takes constant weights only.");
    }
}
