using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Analytics;

/// <summary>Settings of <see cref="ScorecardAnalysis.Run"/>; every default is documented in docs/analytics.md.</summary>
public sealed record AnalysisOptions
{
    public static readonly AnalysisOptions Default = new();

    /// <summary>Periods of the analysed period's kind, ending with it, over which link checks and tensions are computed (24 months for a month).</summary>
    public int Window { get; init; } = 24;

    public ForecastOptions Forecast { get; init; } = ForecastOptions.Default;

    /// <summary>Periods of a measure's frequency, ending with the analysed one, searched for the last <see cref="ForecastOptions.Window"/> values.</summary>
    public int ForecastLookback { get; init; } = 24;

    /// <summary>
    /// The period forecasts project to, in any kind (each measure takes the period of its frequency that holds the
    /// last day). Default: the end of the fiscal year that holds the period after the analysed one — the current
    /// fiscal year's end, or the next one's when the analysed period closes a year.
    /// </summary>
    public Period? ForecastTo { get; init; }

    public CauseEffectOptions CauseEffect { get; init; } = CauseEffectOptions.Default;

    public TensionOptions Tensions { get; init; } = TensionOptions.Default;

    /// <summary>How many best and how many worst performers are listed.</summary>
    public int Performers { get; init; } = 5;
}

/// <summary>Where a measure with a plan (start, due date, baseline, target) stands against where it should be by the period's end.</summary>
public sealed record MeasureHealth(string Id, string Name, string? Unit, string Due, ProgressHealth Health);

/// <summary>A forecast of one measure to its target period.</summary>
public sealed record MeasureForecast(string Id, string Name, string? Unit, Direction Direction, string TargetPeriod, Forecast Forecast);

/// <summary>
/// Everything the analytics say about a scorecard at one period: forecasts for every measure with a target, a
/// check of every cause-effect link, detected tensions, best and worst performers and the absolute weight of every
/// measure. Periods are written as in scorecard files (<c>2026-03</c>); the records serialise to JSON as they are.
/// </summary>
public sealed record ScorecardAnalysis(
    string Scorecard,
    string Period,
    string WindowStart,
    IReadOnlyList<MeasureForecast> Forecasts,
    IReadOnlyList<LinkCheck> Links,
    IReadOnlyList<DetectedTension> Tensions,
    IReadOnlyList<Performer> Best,
    IReadOnlyList<Performer> Worst,
    IReadOnlyList<AbsoluteWeight> Weights,
    IReadOnlyList<MeasureHealth> Health)
{
    /// <summary>
    /// Analyses <paramref name="model"/> at <paramref name="at"/>. <paramref name="scorecard"/> supplies the links and
    /// declared tensions (normally <c>model.Scorecard</c>). Each period is evaluated once
    /// (<see cref="ScorecardModel.EvaluateWithoutTrend"/>) and its arrays shared by every check: the
    /// <see cref="AnalysisOptions.Window"/> periods of <paramref name="at"/>'s kind, the lookback periods of every
    /// other measure frequency, and one evaluation per forecast target period.
    /// </summary>
    public static ScorecardAnalysis Run(ScorecardModel model, Scorecard scorecard, Period at, AnalysisOptions? options = null)
    {
        options ??= AnalysisOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ForecastLookback);
        var snapshots = new Snapshots(model, at);

        var periods = new Period[options.Window];
        var scores = new double[options.Window][];
        for (int i = 0; i < periods.Length; i++)
        {
            periods[i] = at.Shift(i - periods.Length + 1);
            scores[i] = snapshots.Get(periods[i]).Scores;
        }

        var history = new ScoreHistory(model, periods, scores);
        var links = new List<LinkCheck>(scorecard.Links.Count);
        foreach (var link in scorecard.Links)
        {
            int from = history.NodeOf(link.From), to = history.NodeOf(link.To);
            links.Add(LinkCheck.Evaluate(
                link.From,
                link.To,
                history.Series(from),
                history.Series(to),
                options.CauseEffect,
                from < 0 ? null : model.Nodes[from].Name,
                to < 0 ? null : model.Nodes[to].Name,
                link.Note));
        }

        var tensions = TensionDetection.Detect(history, scorecard, options.Tensions);
        var forecasts = ForecastAll(model, at, options, snapshots);

        var evaluation = snapshots.Get(at).Evaluation ?? model.EvaluateWithoutTrend(new PeriodView(at));
        var day = at.End(model.Scorecard.Calendar);
        return new ScorecardAnalysis(
            model.Scorecard.Id,
            at.ToString(),
            periods[0].ToString(),
            forecasts,
            links,
            tensions,
            Performers.Best(evaluation, options.Performers),
            Performers.Worst(evaluation, options.Performers),
            AbsoluteWeights.OfMeasures(model, day),
            HealthAll(model, evaluation, day));
    }

    /// <summary>Expected progress (Cascade) of every measure with a plan, judged on the last day of the analysed period.</summary>
    private static List<MeasureHealth> HealthAll(ScorecardModel model, ScorecardEvaluation evaluation, DateOnly day)
    {
        var result = new List<MeasureHealth>();
        foreach (var node in model.Nodes)
        {
            if (node.Measure is { Start: { } start, Due: { } due, Baseline: { } baseline, Target: { } target } measure && baseline != target && due > start)
            {
                var health = ExpectedProgress.Evaluate(baseline, target, start, due, measure.Milestones, day, evaluation[node.Index].Value);
                result.Add(new MeasureHealth(node.Id, node.Name, measure.Unit, due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), health));
            }
        }

        return result;
    }

    /// <summary>Whether a forecast of <paramref name="measure"/> has something to be judged against.</summary>
    private static bool HasTarget(Measure measure) =>
        measure.Target is not null || measure.Targets.Count > 0
        || (measure.Direction == Direction.Range && measure.Scoring.Low is not null && measure.Scoring.High is not null);

    private static List<MeasureForecast> ForecastAll(ScorecardModel model, Period at, AnalysisOptions options, Snapshots snapshots)
    {
        var atEnd = at.End(model.Scorecard.Calendar);
        var result = new List<MeasureForecast>();
        var series = new List<PeriodValue>(options.ForecastLookback);
        foreach (var node in model.Nodes)
        {
            if (node.Measure is not { } measure || !HasTarget(measure))
            {
                continue;
            }

            var calendar = model.ScorecardOf(node.Index).Calendar;
            var kind = measure.Frequency;
            var current = LastPeriodBy(kind, atEnd, calendar);
            var horizon = options.ForecastTo is { } to
                ? to.End(calendar)
                : calendar.YearStart(calendar.FiscalYearOf(atEnd.AddDays(1)) + 1).AddDays(-1);
            var targetPeriod = LastPeriodBy(kind, horizon, calendar);

            series.Clear();
            for (int i = options.ForecastLookback - 1; i >= 0; i--)
            {
                var period = current.Shift(-i);
                double value = snapshots.Get(period).Values[node.Index];
                series.Add(new PeriodValue(period, double.IsFinite(value) ? value : null));
            }

            double target = snapshots.TargetsAt(targetPeriod)[node.Index];
            var goal = new ForecastGoal(measure.Direction, double.IsFinite(target) ? target : null, measure.Scoring.Low, measure.Scoring.High);
            result.Add(new MeasureForecast(node.Id, node.Name, measure.Unit, measure.Direction, targetPeriod.ToString(), Forecast.Project(series, targetPeriod, goal, options.Forecast)));
        }

        return result;
    }

    /// <summary>The last period of <paramref name="kind"/> placed at or before <paramref name="day"/> (a week by its Thursday, as the engine places weeks).</summary>
    private static Period LastPeriodBy(PeriodKind kind, DateOnly day, FiscalCalendar calendar)
    {
        var period = Periods.Period.Containing(kind, day, calendar);
        return period.Anchor(calendar) > day ? period.Previous() : period;
    }

    /// <summary>
    /// Each period evaluated once: raw scores of every node and values of the measures (NaN = none or inherited), not
    /// whole evaluations (~50 bytes a node each).
    /// </summary>
    private sealed class Snapshots(ScorecardModel model, Period keep)
    {
        private readonly Dictionary<Period, Snapshot> _byPeriod = [];
        private readonly Dictionary<Period, double[]> _targets = [];

        public Snapshot Get(Period period)
        {
            if (!_byPeriod.TryGetValue(period, out var snapshot))
            {
                var evaluation = model.EvaluateWithoutTrend(new PeriodView(period));
                var values = new double[evaluation.Count];
                for (int i = 0; i < values.Length; i++)
                {
                    // An inherited value is a copy of an earlier one, not data: a forecast must not fit a line through copies.
                    values[i] = model.Nodes[i].Kind == NodeKind.Measure && evaluation[i] is { Value: double v, Inherited: false } ? v : double.NaN;
                }

                snapshot = new Snapshot(evaluation.Scores.ToArray(), values, period == keep ? evaluation : null);
                _byPeriod[period] = snapshot;
            }

            return snapshot;
        }

        public double[] TargetsAt(Period period)
        {
            if (!_targets.TryGetValue(period, out var targets))
            {
                var evaluation = model.EvaluateWithoutTrend(new PeriodView(period));
                targets = new double[evaluation.Count];
                for (int i = 0; i < targets.Length; i++)
                {
                    targets[i] = model.Nodes[i].Kind == NodeKind.Measure ? evaluation[i].Target ?? double.NaN : double.NaN;
                }

                _targets[period] = targets;
            }

            return targets;
        }
    }

    /// <summary>The arrays of one period; the whole evaluation is kept only for the analysed period (for the performers' statuses).</summary>
    private sealed record Snapshot(double[] Scores, double[] Values, ScorecardEvaluation? Evaluation);
}
