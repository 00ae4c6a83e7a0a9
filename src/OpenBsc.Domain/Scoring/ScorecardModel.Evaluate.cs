using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Scoring;

public sealed partial class ScorecardModel
{
    private const byte NoStatus = byte.MaxValue;

    /// <summary>
    /// The days a view covers in one scorecard's calendar. <see cref="Kind"/> is the finest granularity an
    /// observation may have to count as inside; <see cref="Exact"/> when the window is exactly one period
    /// (an observation of that very period then wins over finer ones, like an explicit target). <see cref="Today"/>
    /// is the day number of the organisation's today (int.MaxValue when none was given: everything has ended); the
    /// windows of sub-periods the engine makes for itself leave it so.
    /// </summary>
    private readonly record struct Window(int Start, int End, PeriodKind Kind, bool Exact, Period Period, FiscalCalendar Calendar, int Today = int.MaxValue)
    {
        public static Window Of(Period period, FiscalCalendar calendar) =>
            new(period.Start(calendar).DayNumber, period.End(calendar).DayNumber, period.Kind, true, period, calendar);

        public static Window For(PeriodView view, FiscalCalendar calendar)
        {
            int today = view.Today?.DayNumber ?? int.MaxValue;
            if (!view.YearToDate || view.Period.Kind == PeriodKind.Year)
            {
                return Of(view.Period, calendar) with { Today = today };
            }

            var start = calendar.YearStart(calendar.FiscalYearOf(view.Period.Start(calendar)));
            return new(start.DayNumber, view.Period.End(calendar).DayNumber, view.Period.Kind, false, view.Period, calendar, today);
        }

        public DateOnly LastDay => DateOnly.FromDayNumber(End);

        public PeriodState State => End <= Today ? PeriodState.Ended : Start > Today ? PeriodState.NotStarted : PeriodState.InProgress;

        /// <summary>The window seen at a measure's frequency: a finer single period widens to the frequency period that holds it.</summary>
        public Window Fit(PeriodKind frequency)
        {
            if (Kind >= frequency)
            {
                return this;
            }

            return Exact ? Of(Period.Containing(frequency, DateOnly.FromDayNumber(Start), Calendar), Calendar) with { Today = Today } : this with { Kind = frequency };
        }

        /// <summary>The periods of <paramref name="kind"/> whose anchor day lies in the window.</summary>
        public IEnumerable<Period> PeriodsOf(PeriodKind kind)
        {
            var period = Period.Containing(kind, DateOnly.FromDayNumber(Start), Calendar);
            if (period.Anchor(Calendar).DayNumber < Start)
            {
                period = period.Next();
            }

            while (period.Anchor(Calendar).DayNumber <= End)
            {
                yield return period;
                period = period.Next();
            }
        }

        public bool IsSinglePeriodOf(PeriodKind kind) => Exact && Kind == kind;
    }

    /// <summary>
    /// Evaluates every node for <paramref name="view"/>, with the trend against the previous period. Both periods are
    /// computed in the same walk over the tree: each node's previous score is computed beside its current one (the
    /// same arithmetic as a scores-only evaluation of the previous period), so the layout, the month rows and the
    /// children's edges are read once.
    /// </summary>
    public ScorecardEvaluation Evaluate(PeriodView view)
    {
        var trend = new Trend?[_nodes.Length];
        return new ScorecardEvaluation(this, view, Compute(view, full: true, view.Previous(), trend), trend);
    }

    /// <summary>
    /// Evaluates <paramref name="count"/> consecutive periods from <paramref name="first"/>, each with its trend:
    /// every period serves as the previous one of the next, so a series costs one pass per period plus one.
    /// </summary>
    public IReadOnlyList<ScorecardEvaluation> EvaluateSeries(PeriodView first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var evaluations = new ScorecardEvaluation[count];
        var light = Compute(first.Previous(), full: false);
        double[] previous = light.Score;
        var view = first;
        for (int i = 0; i < count; i++)
        {
            var current = Compute(view, full: true);
            evaluations[i] = new ScorecardEvaluation(this, view, current, Trends(current.Score, previous));
            previous = current.Score;
            view = view with { Period = view.Period.Next() };
        }

        light.Release();
        return evaluations;
    }

    /// <summary>Scores only (no trend): one pass over the tree.</summary>
    public ScorecardEvaluation EvaluateWithoutTrend(PeriodView view) =>
        new(this, view, Compute(view, full: true), new Trend?[_nodes.Length]);

    private static Trend?[] Trends(double[] now, double[] before)
    {
        var trend = new Trend?[now.Length];
        for (int i = 0; i < trend.Length; i++)
        {
            trend[i] = TrendOf(now[i], before[i]);
        }

        return trend;
    }

    /// <summary>SCORING.md §7: none unless both periods have a score; |Δ| &lt; 0.005 is flat.</summary>
    private static Trend? TrendOf(double now, double before)
    {
        if (double.IsNaN(now) || double.IsNaN(before))
        {
            return null;
        }

        double delta = now - before;
        return Math.Abs(delta) < 0.005 ? Trend.Flat : delta > 0 ? Trend.Improving : Trend.Worsening;
    }

    /// <summary>Per-node results; a light pass (for the trend's previous period) keeps scores only.</summary>
    internal sealed class Results(int n, bool full)
    {
        public bool Full { get; } = full;

        // A light pass lives only until the trend is computed: its scores come from the pool (no large allocation per call).
        public double[] Score { get; } = full ? new double[n] : System.Buffers.ArrayPool<double>.Shared.Rent(n);

        /// <summary>Returns a light pass's pooled array; a full pass's arrays belong to its evaluation.</summary>
        public void Release()
        {
            if (!Full)
            {
                System.Buffers.ArrayPool<double>.Shared.Return(Score);
            }
        }

        public double[] Value { get; } = full ? new double[n] : [];

        public double[] Target { get; } = full ? new double[n] : [];

        public double[] Progress { get; } = full ? new double[n] : [];

        public double[] Performance { get; } = full ? new double[n] : [];

        public byte[] Status { get; } = full ? new byte[n] : [];

        public int[] WithData { get; } = full ? new int[n] : [];

        public int[] Total { get; } = full ? new int[n] : [];

        public bool[] Inherited { get; } = full ? new bool[n] : [];

        /// <summary>Per node: the state of its window and its sub-periods elapsed, in all, and ended without a value.</summary>
        public PeriodCoverage[] Coverage { get; } = full ? new PeriodCoverage[n] : [];
    }

    /// <summary>
    /// One walk over the tree, children before parents. With <paramref name="previous"/>, each node's score for that
    /// view is computed right after its current result (scores only) and the trend between the two written to
    /// <paramref name="trend"/>.
    /// </summary>
    private Results Compute(PeriodView view, bool full, PeriodView? previous = null, Trend?[]? trend = null)
    {
        var (windows, months) = Frame(view);
        var r = new Results(_nodes.Length, full);
        if (previous is not { } before)
        {
            foreach (int node in _order)
            {
                int context = _nodeContext[node];
                EvaluateNode(node, _nodeMeasure[node], windows[context], months[context], r);
            }

            return r;
        }

        var (beforeWindows, beforeMonths) = Frame(before);
        var b = new Results(_nodes.Length, full: false);
        try
        {
            double[] score = r.Score, beforeScore = b.Score;
            foreach (int node in _order)
            {
                int context = _nodeContext[node];
                int m = _nodeMeasure[node];
                if (m >= 0 && months[context] >= 0 && beforeMonths[context] >= 0 && _hot[m].Simple)
                {
                    EvaluateSimpleMeasure(node, in _hot[m], months[context], windows[context], r);
                    beforeScore[node] = SimpleScore(in _hot[m], _dense!.At(_hot[m].Column, beforeMonths[context]));
                }
                else if (m < 0)
                {
                    EvaluateContainer(node, windows[context], r, beforeWindows[context], b);
                }
                else
                {
                    EvaluateNode(node, m, windows[context], months[context], r);
                    EvaluateNode(node, m, beforeWindows[context], beforeMonths[context], b);
                }

                trend![node] = TrendOf(score[node], beforeScore[node]);
            }
        }
        finally
        {
            b.Release();
        }

        return r;
    }

    /// <summary>Each scorecard's window for <paramref name="view"/>, and the month row it reads from the month table when the view is one month (else −1).</summary>
    private (Window[] Windows, int[] Months) Frame(PeriodView view)
    {
        var windows = new Window[_cards.Length];
        var months = new int[_cards.Length];
        for (int c = 0; c < _cards.Length; c++)
        {
            windows[c] = Window.For(view, _cards[c].Calendar);
            months[c] = windows[c].IsSinglePeriodOf(PeriodKind.Month) ? view.Period.Year * 12 + view.Period.Number - 1 : -1;
        }

        return (windows, months);
    }

    private void EvaluateNode(int node, int m, Window window, int month, Results r)
    {
        if (m >= 0 && month >= 0 && _hot[m].Simple)
        {
            EvaluateSimpleMeasure(node, in _hot[m], month, window, r);
        }
        else if (m >= 0)
        {
            EvaluateMeasure(node, m, window, r);
        }
        else
        {
            EvaluateContainer(node, window, r);
        }
    }

    /// <summary>The score of a simple measure (<see cref="HotMeasure"/>) with value <paramref name="v"/>.</summary>
    private static double SimpleScore(in HotMeasure h, double v)
    {
        double progress = MeasureScoring.Progress(v, h.Baseline, h.Target, h.Direction);
        return double.IsNaN(progress) ? double.NaN : Math.Clamp(progress, 0, h.Cap);
    }

    /// <summary>The common case of <see cref="EvaluateMeasure"/> (see <see cref="HotMeasure"/>): same arithmetic, no lookups.</summary>
    private void EvaluateSimpleMeasure(int node, in HotMeasure h, int month, Window window, Results r)
    {
        double v = _dense!.At(h.Column, month);
        double progress = MeasureScoring.Progress(v, h.Baseline, h.Target, h.Direction);
        double performance = double.IsNaN(h.Min) || double.IsNaN(h.Max) ? progress : MeasureScoring.Performance(v, h.Min, h.Max, h.Direction);
        double score = double.IsNaN(progress) ? double.NaN : Math.Clamp(progress, 0, h.Cap);
        r.Score[node] = score;
        if (!r.Full)
        {
            return;
        }

        r.Value[node] = v;
        r.Target[node] = h.Target;
        r.Progress[node] = progress;
        r.Performance[node] = performance;
        r.Status[node] = double.IsNaN(score) ? (byte)Status.Gray : h.Rules!.Evaluate(score);
        int ended = window.End <= window.Today ? 1 : 0;
        r.Coverage[node] = new PeriodCoverage(window.State, ended, 1, ended == 1 && double.IsNaN(v) ? 1 : 0);
    }

    private void EvaluateMeasure(int node, int m, Window window, Results r)
    {
        var compiled = _measures[m];
        if (compiled.Series is not null)
        {
            EvaluateSegmentedMeasure(node, m, window, r);
            return;
        }

        var def = compiled.Definition;
        var card = _cards[compiled.Context];
        double v, t, n;
        bool inherited = false;
        if (_dense is not null && _dense.Column[m] >= 0 && compiled.Targets is null && def.Aggregation != Aggregation.Count && window.IsSinglePeriodOf(PeriodKind.Month))
        {
            // The common case, read straight from the month row: a monthly measure viewed by month (a count is
            // the number of observations, not the value, so it takes the general path).
            v = _dense.At(_dense.Column[m], window.Period.Year * 12 + window.Period.Number - 1);
            t = def.Target ?? double.NaN;
            n = 1;
        }
        else
        {
            // In a period in progress a sum or count is compared with its target to date (docs/scoring.md §5).
            var toDate = ToDate(m, window);
            v = MeasureValue(m, def.Inherit is null ? window : toDate, out inherited);
            t = TargetOf(m, toDate);
            n = AdditivePeriods(def, toDate);
        }

        double b = (def.Baseline ?? double.NaN) * n;
        double progress = MeasureScoring.Progress(v, b, t, def.Direction);
        double performance = MeasureScoring.Performance(v, (def.Min ?? double.NaN) * n, (def.Max ?? double.NaN) * n, def.Direction);

        // If only one scale is given, both equal it (SCORING.md §1).
        if (def.Min is null || def.Max is null)
        {
            performance = progress;
        }
        else if (double.IsNaN(t))
        {
            progress = performance;
        }

        double score = MeasureScoring.Score(def, compiled.ScoringFormula, v, t, progress, performance, card.Overachievement, n);
        r.Score[node] = score;
        if (!r.Full)
        {
            return;
        }

        r.Value[node] = v;
        r.Target[node] = t;
        r.Progress[node] = progress;
        r.Performance[node] = performance;
        r.Inherited[node] = inherited && !double.IsNaN(v);
        r.Status[node] = MeasureStatus(def, card, score, progress, performance, v, t);
        r.Coverage[node] = MeasureCoverage(m, window);
    }

    /// <summary>
    /// The window a sum or count measure is compared over in a period in progress: from the period's start through the
    /// last sub-period of its frequency that has ended or already holds a value (an early value brings its own
    /// sub-period's target with it). Unchanged for other aggregations, single periods of the measure's frequency, ended
    /// periods, periods not started, and scorecards with <c>partialPeriods: full</c>.
    /// </summary>
    private Window ToDate(int m, Window window)
    {
        var compiled = _measures[m];
        var def = compiled.Definition;
        if (window.End <= window.Today || def.Aggregation is not (Aggregation.Sum or Aggregation.Count)
            || _cards[compiled.Context].PartialPeriods == PartialPeriods.Full)
        {
            return window;
        }

        var w = window.Fit(def.Frequency);
        if (w.IsSinglePeriodOf(def.Frequency))
        {
            return window;
        }

        int end = -1;
        foreach (var period in w.PeriodsOf(def.Frequency))
        {
            int last = period.End(w.Calendar).DayNumber;
            if (last <= w.Today || Reported(m, period, w.Calendar))
            {
                end = last;
            }
        }

        // Nothing has ended or been reported (a period not started): nothing to cut.
        return end < 0 || end >= w.End ? window : w with { End = end, Exact = false };
    }

    /// <summary>Whether measure <paramref name="m"/> has a value of its own (not inherited) for <paramref name="period"/> of its frequency.</summary>
    private bool Reported(int m, Period period, FiscalCalendar calendar)
    {
        var compiled = _measures[m];
        if (compiled.Series is { } series)
        {
            foreach (int s in series)
            {
                if (Reported(s, period, calendar))
                {
                    return true;
                }
            }

            return false;
        }

        var w = Window.Of(period, calendar);
        return !double.IsNaN(compiled.Calculation is null ? Aggregate(m, w, compiled.Definition.Aggregation) : CalculatedValue(m, w, out _));
    }

    /// <summary>A measure's <see cref="PeriodCoverage"/>: its window's sub-periods of its frequency, ended and without a value.</summary>
    private PeriodCoverage MeasureCoverage(int m, Window window)
    {
        var def = _measures[m].Definition;
        var w = window.Fit(def.Frequency);
        if (w.IsSinglePeriodOf(def.Frequency))
        {
            bool ended = w.End <= w.Today;
            return new PeriodCoverage(w.State, ended ? 1 : 0, 1, ended && !Reported(m, w.Period, w.Calendar) ? 1 : 0);
        }

        int elapsed = 0, of = 0, missing = 0;
        foreach (var period in w.PeriodsOf(def.Frequency))
        {
            of++;
            if (period.End(w.Calendar).DayNumber <= w.Today)
            {
                elapsed++;
                missing += Reported(m, period, w.Calendar) ? 0 : 1;
            }
        }

        return new PeriodCoverage(w.State, elapsed, of, missing);
    }

    /// <summary>A container's <see cref="PeriodCoverage"/>: its window in sub-periods of its scorecard's reporting frequency.</summary>
    private PeriodCoverage ContainerCoverage(int context, Window window)
    {
        var kind = _reportingFrequency[context];
        var w = window.Fit(kind);
        if (w.IsSinglePeriodOf(kind) || w.Kind < kind)
        {
            return new PeriodCoverage(w.State, w.End <= w.Today ? 1 : 0, 1, 0);
        }

        int elapsed = 0, of = 0;
        foreach (var period in w.PeriodsOf(kind))
        {
            of++;
            elapsed += period.End(w.Calendar).DayNumber <= w.Today ? 1 : 0;
        }

        return new PeriodCoverage(w.State, elapsed, of, 0);
    }

    /// <summary>A measure's status: none for an informational measure, Gray without a score, else the first rule that matches.</summary>
    private static byte MeasureStatus(Measure def, Scorecard card, double score, double progress, double performance, double v, double t)
    {
        if (def.Scoring.Type == ScoringType.None)
        {
            return NoStatus;
        }

        if (double.IsNaN(score))
        {
            return (byte)Status.Gray;
        }

        double percentOfTarget = double.IsNaN(t) || t == 0 ? double.NaN : v / t;
        return (byte)(def.Status ?? card.Status).Evaluate(score, Known(progress), Known(performance), Known(v), Known(percentOfTarget));
    }

    private static double? Known(double x) => double.IsFinite(x) ? x : null;

    /// <summary>How many of a node's counted children have a score.</summary>
    private int ChildrenWithData(int first, int last, Results r)
    {
        int withData = 0;
        for (int e = first; e < last; e++)
        {
            withData += double.IsNaN(r.Score[_edgeChild[e]]) ? 0 : 1;
        }

        return withData;
    }

    /// <summary>
    /// A measure tracked per segment (docs/scoring.md, "Segments"): its score, progress and performance roll up its
    /// series' (weighted by the series' weights, the scorecard's missing-data policy) — each series was scored against
    /// its own target — while its value and target combine the series' values and targets.
    /// </summary>
    private void EvaluateSegmentedMeasure(int node, int m, Window window, Results r)
    {
        var def = _measures[m].Definition;
        var card = _cards[_measures[m].Context];
        int first = _edgeStart[node], last = _edgeStart[node + 1];
        Roll(node, RollupMethod.Weighted, card.Missing, first, last, r, window.LastDay);
        if (!r.Full)
        {
            return;
        }

        double v = MeasureValue(m, window, out bool inherited);
        double t = TargetOf(m, window);
        r.Value[node] = v;
        r.Target[node] = t;
        r.Inherited[node] = inherited && !double.IsNaN(v);
        r.WithData[node] = ChildrenWithData(first, last, r);
        r.Total[node] = last - first;
        r.Status[node] = MeasureStatus(def, card, r.Score[node], r.Progress[node], r.Performance[node], v, t);
        r.Coverage[node] = MeasureCoverage(m, window);
    }

    /// <summary>How the series of a measure tracked per segment combine into its value and target: sums add up, the rest average (min and max keep theirs).</summary>
    private static Aggregation AcrossSegments(Aggregation aggregation) => aggregation switch
    {
        Aggregation.Sum or Aggregation.Count => Aggregation.Sum,
        Aggregation.Min => Aggregation.Min,
        Aggregation.Max => Aggregation.Max,
        _ => Aggregation.Average,
    };

    /// <summary>
    /// How many periods of its frequency a sum or count adds up over the window (1 for other aggregations and
    /// single periods): its per-period baseline, scale and scoring parameters stand for that many periods, like its targets.
    /// </summary>
    private static double AdditivePeriods(Measure def, Window window)
    {
        var w = window.Fit(def.Frequency);
        if (def.Aggregation is not (Aggregation.Sum or Aggregation.Count) || w.IsSinglePeriodOf(def.Frequency))
        {
            return 1;
        }

        return Math.Max(1, w.PeriodsOf(def.Frequency).Count());
    }

    /// <summary>A container's result; with <paramref name="before"/>, its score for the previous view too (from the same children's edges).</summary>
    private void EvaluateContainer(int node, Window window, Results r, Window beforeWindow = default, Results? before = null)
    {
        var card = _cards[_nodeContext[node]];
        var method = _rollup[node];
        int first = _edgeStart[node], last = _edgeStart[node + 1];
        if (method == RollupMethod.Self)
        {
            int self = -1;
            for (int e = first; e < last && self < 0; e++)
            {
                if (_nodes[_edgeChild[e]].Kind == NodeKind.Measure)
                {
                    self = _edgeChild[e];
                }
            }

            r.Score[node] = self < 0 ? double.NaN : r.Score[self];
            if (r.Full)
            {
                r.Progress[node] = self < 0 ? double.NaN : r.Progress[self];
                r.Performance[node] = self < 0 ? double.NaN : r.Performance[self];
            }

            if (before is not null)
            {
                before.Score[node] = self < 0 ? double.NaN : before.Score[self];
            }
        }
        else
        {
            Roll(node, method, card.Missing, first, last, r, window.LastDay, before, before is null ? default : beforeWindow.LastDay);
        }

        if (!r.Full)
        {
            return;
        }

        r.Value[node] = double.NaN;
        r.Target[node] = double.NaN;
        r.Coverage[node] = ContainerCoverage(_nodeContext[node], window);
        r.WithData[node] = ChildrenWithData(first, last, r);
        r.Total[node] = last - first;
        double score = r.Score[node];
        r.Status[node] = double.IsNaN(score)
            ? (byte)Status.Gray
            : (byte)card.Status.Evaluate(score, Known(r.Progress[node]), Known(r.Performance[node]), null, null);
    }

    /// <summary>
    /// Rolls up the children's scores (and, for a full evaluation, progress and performance) into <paramref name="node"/>;
    /// with <paramref name="before"/>, the previous view's scores too, each period with its own weights.
    /// </summary>
    private void Roll(int node, RollupMethod method, MissingDataPolicy missing, int first, int last, Results r, DateOnly day, Results? before = null, DateOnly beforeDay = default)
    {
        if (missing == MissingDataPolicy.Ignore && method is RollupMethod.Weighted or RollupMethod.Average)
        {
            RollMean(node, method == RollupMethod.Average, first, last, r, day, before, beforeDay);
            return;
        }

        // One pass over the children folds the score and, for a full evaluation, progress and performance too.
        var score = new Fold(method, missing);
        var progress = new Fold(method, missing);
        var performance = new Fold(method, missing);
        var beforeScore = new Fold(method, missing);
        for (int e = first; e < last; e++)
        {
            double w = EdgeWeight(e, day, before is not null, beforeDay, out double wb);
            int child = _edgeChild[e];
            if (before is not null && wb > 0)
            {
                beforeScore.Add(wb, before.Score[child]);
            }

            if (!(w > 0))
            {
                continue;
            }

            score.Add(w, r.Score[child]);
            if (r.Full)
            {
                progress.Add(w, r.Progress[child]);
                performance.Add(w, r.Performance[child]);
            }
        }

        r.Score[node] = score.Result;
        if (r.Full)
        {
            r.Progress[node] = progress.Result;
            r.Performance[node] = performance.Result;
        }

        if (before is not null)
        {
            before.Score[node] = beforeScore.Result;
        }
    }

    /// <summary>Edge <paramref name="e"/>'s weight on <paramref name="day"/> and, when <paramref name="withBefore"/>, on <paramref name="beforeDay"/> (constant weights read without the Weight object).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private double EdgeWeight(int e, DateOnly day, bool withBefore, DateOnly beforeDay, out double before)
    {
        double w = _edgeConstant[e];
        before = w;
        if (double.IsNaN(w))
        {
            w = _edgeWeight[e].At(day);
            before = withBefore ? _edgeWeight[e].At(beforeDay) : 0;
        }

        return w;
    }

    /// <summary>
    /// <see cref="Roll"/> for the common case, a weighted (or, with <paramref name="plain"/>, unweighted) mean that
    /// ignores missing children: what <see cref="Fold"/> computes — the same sums in the same order — without its
    /// per-child switches, folding the score, progress, performance and the previous view's score in one loop.
    /// </summary>
    private void RollMean(int node, bool plain, int first, int last, Results r, DateOnly day, Results? before, DateOnly beforeDay)
    {
        bool full = r.Full;
        double[] score = r.Score, progress = r.Progress, performance = r.Performance;
        double[]? beforeScore = before?.Score;
        var s = default(Mean);
        var p = default(Mean);
        var f = default(Mean);
        var b = default(Mean);
        for (int e = first; e < last; e++)
        {
            double w = EdgeWeight(e, day, beforeScore is not null, beforeDay, out double wb);
            int child = _edgeChild[e];
            if (beforeScore is not null && wb > 0)
            {
                b.Add(plain ? 1 : wb, beforeScore[child]);
            }

            if (!(w > 0))
            {
                continue;
            }

            w = plain ? 1 : w;
            s.Add(w, score[child]);
            if (full)
            {
                p.Add(w, progress[child]);
                f.Add(w, performance[child]);
            }
        }

        score[node] = s.Result;
        if (full)
        {
            progress[node] = p.Result;
            performance[node] = f.Result;
        }

        if (beforeScore is not null)
        {
            beforeScore[node] = b.Result;
        }
    }

    /// <summary><see cref="Fold"/> for a weighted mean that ignores missing values (NaN when nothing was added).</summary>
    private struct Mean
    {
        private double _sum;
        private double _weights;
        private bool _anyData;

        public void Add(double w, double x)
        {
            if (!double.IsNaN(x))
            {
                _anyData = true;
                _sum += w * x;
                _weights += w;
            }
        }

        public readonly double Result => !_anyData || _weights == 0 ? double.NaN : _sum / _weights;
    }

    /// <summary>
    /// SCORING.md §4 over the children counted: weights relative and renormalised over them; weight 0 = shown but not
    /// counted (never added); missing children per the policy. NaN when no child counted has data (in every policy)
    /// or, under strict, when any counted child lacks it.
    /// </summary>
    private struct Fold(RollupMethod method, MissingDataPolicy missing)
    {
        private double _sum;
        private double _weights;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;
        private bool _anyData;
        private bool _strictMissing;

        public void Add(double w, double x)
        {
            if (double.IsNaN(x))
            {
                if (missing == MissingDataPolicy.Strict)
                {
                    _strictMissing = true;
                    return;
                }

                if (missing == MissingDataPolicy.Ignore)
                {
                    return;
                }

                x = 0;
            }
            else
            {
                _anyData = true;
            }

            if (method == RollupMethod.Average)
            {
                w = 1;
            }

            _sum += w * x;
            _weights += w;
            _min = Math.Min(_min, x);
            _max = Math.Max(_max, x);
        }

        public readonly double Result => _strictMissing || !_anyData || _weights == 0
            ? double.NaN
            : method switch
            {
                RollupMethod.Min => _min,
                RollupMethod.Max => _max,
                _ => _sum / _weights,
            };
    }

    /// <summary>The value of measure <paramref name="m"/> over a window (SCORING.md §5, §6).</summary>
    private double MeasureValue(int m, Window window, out bool inherited)
    {
        var compiled = _measures[m];
        var def = compiled.Definition;
        inherited = false;
        var w = window.Fit(def.Frequency);
        if (compiled.Calculation is not null)
        {
            return CalculatedValue(m, w, out inherited);
        }

        if (compiled.Series is { } series)
        {
            var segments = new Accumulator(AcrossSegments(def.Aggregation));
            foreach (int s in series)
            {
                var own = _measures[s].Definition.Inherit is null ? window : ToDate(s, window);
                segments.Add(MeasureValue(s, own, out bool carried));
                inherited |= carried;
            }

            return segments.Result;
        }

        if (def.Inherit is null)
        {
            return Aggregate(m, w, def.Aggregation);
        }

        if (w.IsSinglePeriodOf(def.Frequency))
        {
            return ValueWithInheritance(m, w, out inherited);
        }

        // Coarser window: each period of the measure's frequency takes its own or an inherited value.
        var acc = new Accumulator(def.Aggregation);
        foreach (var period in w.PeriodsOf(def.Frequency))
        {
            double x = ValueWithInheritance(m, Window.Of(period, w.Calendar), out bool carried);
            inherited |= carried && !double.IsNaN(x);
            acc.Add(x);
        }

        return acc.Result;
    }

    private double ValueWithInheritance(int m, Window w, out bool inherited)
    {
        var def = _measures[m].Definition;
        inherited = false;
        double own = Aggregate(m, w, def.Aggregation);
        if (!double.IsNaN(own))
        {
            return own;
        }

        // The latest earlier observation at or finer than the frequency.
        int lo = _obsStart[m], i = LowerBound(m, w.Start) - 1;
        while (i >= lo && _obsKind[i] > (byte)def.Frequency)
        {
            i--;
        }

        if (i < lo)
        {
            return double.NaN;
        }

        var source = Period.Containing(def.Frequency, DateOnly.FromDayNumber(_obsAnchor[i]), w.Calendar);
        int limit = def.Inherit ?? 0;
        if (limit > 0 && w.Period.StepsSince(source) > limit)
        {
            return double.NaN;
        }

        inherited = true;
        return Aggregate(m, Window.Of(source, w.Calendar), def.Aggregation);
    }

    /// <summary>Observations inside the window combined by <paramref name="aggregation"/>; an observation of exactly the window's period wins (except for count).</summary>
    private double Aggregate(int m, Window w, Aggregation aggregation)
    {
        if (_dense is not null && _dense.Column[m] >= 0)
        {
            return AggregateDense(_dense.Column[m], w, aggregation);
        }

        int end = _obsStart[m + 1];
        var acc = new Accumulator(aggregation);
        for (int i = LowerBound(m, w.Start); i < end && _obsAnchor[i] <= w.End; i++)
        {
            byte kind = _obsKind[i];
            if (kind > (byte)w.Kind)
            {
                continue;
            }

            if (w.Exact && kind == (byte)w.Kind && aggregation != Aggregation.Count)
            {
                return _obsValue[i];
            }

            acc.Add(_obsValue[i]);
        }

        return acc.Result;
    }

    /// <summary><see cref="Aggregate"/> for a measure held in the month table: the months that start inside the window.</summary>
    private double AggregateDense(int column, Window w, Aggregation aggregation)
    {
        if (w.Kind < PeriodKind.Month)
        {
            return double.NaN;
        }

        var first = DateOnly.FromDayNumber(w.Start);
        int from = DenseMonths.MonthIndex(first) + (first.Day == 1 ? 0 : 1);
        int to = DenseMonths.MonthIndex(DateOnly.FromDayNumber(w.End));
        if (w.Exact && w.Kind == PeriodKind.Month && aggregation != Aggregation.Count)
        {
            return _dense!.At(column, from);
        }

        var acc = new Accumulator(aggregation);
        for (int month = from; month <= to; month++)
        {
            acc.Add(_dense!.At(column, month));
        }

        return acc.Result;
    }

    private int LowerBound(int m, int day)
    {
        int lo = _obsStart[m], hi = _obsStart[m + 1];
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_obsAnchor[mid] < day)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private double CalculatedValue(int m, Window w, out bool inherited)
    {
        var def = _measures[m].Definition;
        if (def.FormulaAggregation == FormulaAggregation.AggregateInputs || w.IsSinglePeriodOf(def.Frequency))
        {
            return Calculate(m, w, out inherited);
        }

        inherited = false;
        var acc = new Accumulator(def.Aggregation);
        foreach (var period in w.PeriodsOf(def.Frequency))
        {
            acc.Add(Calculate(m, Window.Of(period, w.Calendar), out bool carried));
            inherited |= carried;
        }

        return acc.Result;
    }

    /// <summary>The formula over its inputs' values for the window; missing inputs per the measure's policy.</summary>
    private double Calculate(int m, Window w, out bool inherited)
    {
        var compiled = _measures[m];
        var inputs = compiled.Inputs;
        var values = new double?[inputs.Length];
        int present = 0;
        inherited = false;
        for (int i = 0; i < inputs.Length; i++)
        {
            bool carried = false;
            double x = inputs[i] < 0 ? double.NaN : MeasureValue(inputs[i], w, out carried);
            inherited |= carried;
            if (!double.IsNaN(x))
            {
                values[i] = x;
                present++;
            }
            else if (compiled.Definition.MissingInputs == MissingInputs.Zero)
            {
                values[i] = 0;
            }
        }

        // With no input at all there is no data, whatever the missing-input policy.
        if (present == 0 && inputs.Length > 0)
        {
            return double.NaN;
        }

        return compiled.Calculation!.Evaluate(values) ?? double.NaN;
    }

    /// <summary>
    /// The target for a window (SCORING.md §5): an explicit target for the period; else, at the measure's frequency,
    /// the target of a coarser period that holds it (split evenly for sum and count) or the measure's default target;
    /// at a coarser window, the frequency targets aggregated by the measure's method (sum for count).
    /// </summary>
    private double TargetOf(int m, Window window)
    {
        var compiled = _measures[m];
        var def = compiled.Definition;
        if (compiled.Series is { } series)
        {
            // The series' targets (the measure's where a series has none) combined like their values: the same basis as the value.
            var segments = new Accumulator(AcrossSegments(def.Aggregation));
            foreach (int s in series)
            {
                segments.Add(TargetOf(s, ToDate(s, window)));
            }

            return segments.Result;
        }

        var w = window.Fit(def.Frequency);
        if (w.Exact && compiled.Targets is { } explicitTargets && explicitTargets.TryGetValue(w.Period, out double set))
        {
            return set;
        }

        if (w.IsSinglePeriodOf(def.Frequency))
        {
            return FrequencyTarget(compiled, w.Period, w.Calendar);
        }

        var aggregation = def.Aggregation == Aggregation.Count ? Aggregation.Sum : def.Aggregation;
        if (compiled.Targets is null)
        {
            double t = def.Target ?? double.NaN;
            return aggregation == Aggregation.Sum && !double.IsNaN(t) ? t * w.PeriodsOf(def.Frequency).Count() : t;
        }

        var acc = new Accumulator(aggregation);
        foreach (var period in w.PeriodsOf(def.Frequency))
        {
            acc.Add(FrequencyTarget(compiled, period, w.Calendar));
        }

        return acc.Result;
    }

    private static double FrequencyTarget(CompiledMeasure compiled, Period period, FiscalCalendar calendar)
    {
        var def = compiled.Definition;
        if (compiled.Targets is { } targets)
        {
            if (targets.TryGetValue(period, out double own))
            {
                return own;
            }

            var start = period.Start(calendar);
            for (var kind = def.Frequency + 1; kind <= PeriodKind.Year; kind++)
            {
                var coarser = Period.Containing(kind, start, calendar);
                if (targets.TryGetValue(coarser, out double shared))
                {
                    bool additive = def.Aggregation is Aggregation.Sum or Aggregation.Count;
                    return additive ? shared / Window.Of(coarser, calendar).PeriodsOf(def.Frequency).Count() : shared;
                }
            }
        }

        return def.Target ?? double.NaN;
    }

    /// <summary>Folds values (NaN = missing, skipped) by an aggregation method; NaN when nothing was added.</summary>
    private struct Accumulator(Aggregation aggregation)
    {
        private double _sum;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;
        private double _last = double.NaN;
        private int _count;

        public void Add(double x)
        {
            if (double.IsNaN(x))
            {
                return;
            }

            _sum += x;
            _min = Math.Min(_min, x);
            _max = Math.Max(_max, x);
            _last = x;
            _count++;
        }

        public readonly double Result => _count == 0
            ? double.NaN
            : aggregation switch
            {
                Aggregation.Sum => _sum,
                Aggregation.Average => _sum / _count,
                Aggregation.Last => _last,
                Aggregation.Min => _min,
                Aggregation.Max => _max,
                _ => _count,
            };
    }
}
