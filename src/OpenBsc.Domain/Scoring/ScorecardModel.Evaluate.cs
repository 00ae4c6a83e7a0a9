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
    public ScorecardEvaluation Evaluate(PeriodView view) =>
        new(this, view, Compute(view, full: true, view.Previous()));

    /// <summary>
    /// <see cref="Evaluate(PeriodView)"/> into the arrays of <paramref name="spent"/>, an earlier evaluation of this
    /// model that the caller no longer needs (a loop over periods, a benchmark): nothing is allocated for the nodes.
    /// <paramref name="spent"/> gives its arrays up: reading it afterwards throws <see cref="ObjectDisposedException"/>,
    /// so whatever still holds it can never take the new numbers for its own.
    /// </summary>
    public ScorecardEvaluation Evaluate(PeriodView view, ScorecardEvaluation spent)
    {
        ArgumentNullException.ThrowIfNull(spent);
        return new(this, view, Compute(view, full: true, view.Previous(), spent.GiveUp(this)));
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
            Trends(current.Score, previous, current.Trend);
            evaluations[i] = new ScorecardEvaluation(this, view, current);
            previous = current.Score;
            view = view with { Period = view.Period.Next() };
        }

        light.Release();
        return evaluations;
    }

    /// <summary>Scores only (no trend): one pass over the tree.</summary>
    public ScorecardEvaluation EvaluateWithoutTrend(PeriodView view)
    {
        var r = Compute(view, full: true);
        Array.Clear(r.Trend);
        return new(this, view, r);
    }

    /// <summary>How many children node <paramref name="node"/> rolls up (a measure: its series; 0 for a measure without segments).</summary>
    internal int ChildrenTotal(int node) => _edgeStart[node + 1] - _edgeStart[node];

    private static void Trends(double[] now, double[] before, Trend?[] trend)
    {
        for (int i = 0; i < trend.Length; i++)
        {
            trend[i] = TrendOf(now[i], before[i]);
        }
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

    /// <summary>
    /// A <see cref="PeriodCoverage"/> in 8 bytes instead of 16, as the results keep one a node: a window is at most a
    /// (fiscal) year, so it has at most 366 sub-periods (the casts are checked all the same).
    /// </summary>
    internal readonly record struct CompactCoverage(PeriodState State, ushort Elapsed, ushort Of, ushort Missing)
    {
        public static CompactCoverage From(PeriodCoverage c) => new(c.State, checked((ushort)c.Elapsed), checked((ushort)c.Of), checked((ushort)c.Missing));

        public PeriodCoverage Expand() => new(State, Elapsed, Of, Missing);
    }

    /// <summary>
    /// Per-node results; a light pass (for the trend's previous period) keeps scores only. A full pass's arrays are
    /// allocated uninitialised (every pass writes every node of every array): 56 bytes a node, so for a large tree
    /// they are large objects, and zeroing them cost as much as filling them. <see cref="Evaluate(PeriodView, ScorecardEvaluation)"/>
    /// reuses a spent evaluation's arrays instead.
    /// </summary>
    internal sealed class Results
    {
        public Results(int n, bool full)
        {
            Full = full;

            // A light pass lives only until the trend is computed: its scores come from the pool (no large allocation per call).
            Score = full ? GC.AllocateUninitializedArray<double>(n) : System.Buffers.ArrayPool<double>.Shared.Rent(n);
            Value = full ? GC.AllocateUninitializedArray<double>(n) : [];
            Target = full ? GC.AllocateUninitializedArray<double>(n) : [];
            Progress = full ? GC.AllocateUninitializedArray<double>(n) : [];
            Performance = full ? GC.AllocateUninitializedArray<double>(n) : [];
            Status = full ? GC.AllocateUninitializedArray<byte>(n) : [];
            WithData = full ? GC.AllocateUninitializedArray<int>(n) : [];
            Inherited = full ? GC.AllocateUninitializedArray<bool>(n) : [];
            Coverage = full ? GC.AllocateUninitializedArray<CompactCoverage>(n) : [];
            Trend = full ? GC.AllocateUninitializedArray<Trend?>(n) : [];
        }

        public bool Full { get; }

        public double[] Score { get; }

        public double[] Value { get; }

        public double[] Target { get; }

        public double[] Progress { get; }

        public double[] Performance { get; }

        public byte[] Status { get; }

        public int[] WithData { get; }

        public bool[] Inherited { get; }

        /// <summary>Per node: the state of its window and its sub-periods elapsed, in all, and ended without a value.</summary>
        public CompactCoverage[] Coverage { get; }

        /// <summary>Per node, the trend against the previous period (written by whoever computes it; none without one).</summary>
        public Trend?[] Trend { get; }

        /// <summary>Returns a light pass's pooled array; a full pass's arrays belong to its evaluation.</summary>
        public void Release()
        {
            if (!Full)
            {
                System.Buffers.ArrayPool<double>.Shared.Return(Score);
            }
        }
    }

    /// <summary>
    /// One walk over the tree, children before parents. With <paramref name="previous"/>, each node's score for that
    /// view is computed right after its current result (scores only) and the trend between the two written to the
    /// results. A month view first evaluates the simple measures in one loop over the month row
    /// (<see cref="EvaluateSimpleMeasures"/>), then walks the other nodes.
    /// </summary>
    private Results Compute(PeriodView view, bool full, PeriodView? previous = null, Results? into = null)
    {
        var (windows, month) = Frame(view);
        var r = into ?? new Results(_nodes.Length, full);
        var coverage = full ? ContainerCoverages(windows) : [];
        if (previous is not { } before)
        {
            var order = _order;
            if (month >= 0 && _simple.Nodes.Length > 0)
            {
                EvaluateSimpleMeasures(windows, month, r);
                order = _simple.Others;
            }

            foreach (int node in order)
            {
                EvaluateNode(node, _nodeMeasure[node], windows[_nodeContext[node]], r, coverage);
            }

            return r;
        }

        var (beforeWindows, beforeMonth) = Frame(before);
        var b = new Results(_nodes.Length, full: false);
        try
        {
            var order = _order;
            if (month >= 0 && beforeMonth >= 0 && _simple.Nodes.Length > 0)
            {
                EvaluateSimpleMeasures(windows, month, r, beforeMonth, b);
                order = _simple.Others;
            }

            double[] score = r.Score, beforeScore = b.Score;
            var trend = r.Trend;
            foreach (int node in order)
            {
                int context = _nodeContext[node];
                int m = _nodeMeasure[node];
                if (m < 0)
                {
                    EvaluateContainer(node, windows[context], r, coverage, beforeWindows[context], b);
                }
                else
                {
                    EvaluateMeasure(node, m, windows[context], r);
                    EvaluateMeasure(node, m, beforeWindows[context], b);
                }

                trend[node] = TrendOf(score[node], beforeScore[node]);
            }
        }
        finally
        {
            b.Release();
        }

        return r;
    }

    /// <summary>
    /// Each scorecard's window for <paramref name="view"/>, and the month (year × 12 + month − 1) whose row of the
    /// month table a simple measure reads when the view is that one month (else −1; a month is the same in every calendar).
    /// </summary>
    private (Window[] Windows, int Month) Frame(PeriodView view)
    {
        var windows = new Window[_cards.Length];
        bool oneMonth = true;
        for (int c = 0; c < _cards.Length; c++)
        {
            windows[c] = Window.For(view, _cards[c].Calendar);
            oneMonth &= windows[c].IsSinglePeriodOf(PeriodKind.Month);
        }

        return (windows, oneMonth && _dense is not null ? view.Period.Year * 12 + view.Period.Number - 1 : -1);
    }

    /// <summary>Per scorecard context, a container's coverage of its window (the same for all its containers).</summary>
    private CompactCoverage[] ContainerCoverages(Window[] windows)
    {
        var coverage = new CompactCoverage[windows.Length];
        for (int c = 0; c < windows.Length; c++)
        {
            coverage[c] = CompactCoverage.From(ContainerCoverage(c, windows[c]));
        }

        return coverage;
    }

    private void EvaluateNode(int node, int m, Window window, Results r, CompactCoverage[] coverage)
    {
        if (m >= 0)
        {
            EvaluateMeasure(node, m, window, r);
        }
        else
        {
            EvaluateContainer(node, window, r, coverage);
        }
    }

    /// <summary>
    /// Every simple measure (<see cref="SimpleNode"/>) of a month view: <see cref="EvaluateMeasure"/>'s arithmetic on
    /// the month's row of the month table, without lookups. With <paramref name="before"/>, the previous month's score
    /// from its row too, and the trend.
    /// </summary>
    private void EvaluateSimpleMeasures(Window[] windows, int month, Results r, int beforeMonth = -1, Results? before = null)
    {
        var dense = _dense!;
        var now = dense.Row(month);
        var then = before is null ? default : dense.Row(beforeMonth);
        bool hasNow = !now.IsEmpty, hasThen = !then.IsEmpty;

        // A simple measure covers one month: ended or not, reported or not.
        var reported = new CompactCoverage[windows.Length];
        var unreported = new CompactCoverage[windows.Length];
        for (int c = 0; c < windows.Length; c++)
        {
            ushort ended = windows[c].End <= windows[c].Today ? (ushort)1 : (ushort)0;
            reported[c] = new CompactCoverage(windows[c].State, ended, 1, 0);
            unreported[c] = new CompactCoverage(windows[c].State, ended, 1, ended);
        }

        bool full = r.Full;
        double[] score = r.Score, value = r.Value, target = r.Target, progress = r.Progress, performance = r.Performance;
        byte[] status = r.Status;
        int[] withData = r.WithData;
        bool[] inherited = r.Inherited;
        CompactCoverage[] coverage = r.Coverage;
        Trend?[] trend = r.Trend;
        double[]? beforeScore = before?.Score;
        var simple = _simple.Nodes;
        var scale = _simple.Scale;
        var rules = _simple.Rules;
        double[] cap = _cap;
        for (int i = 0; i < simple.Length; i++)
        {
            ref readonly var s = ref simple[i];
            int node = s.Node;
            double v = hasNow ? now[s.Column] : double.NaN;
            double p = MeasureScoring.Progress(v, s.Baseline, s.Target, s.Direction);
            double x = double.IsNaN(p) ? double.NaN : Math.Clamp(p, 0, cap[s.Context]);
            score[node] = x;
            if (full)
            {
                value[node] = v;
                target[node] = s.Target;
                progress[node] = p;
                performance[node] = s.Scaled ? MeasureScoring.Performance(v, scale[i].Min, scale[i].Max, s.Direction) : p;
                status[node] = double.IsNaN(x) ? (byte)Status.Gray : rules[s.Rules].Evaluate(x);
                coverage[node] = double.IsNaN(v) ? unreported[s.Context] : reported[s.Context];
                withData[node] = 0;
                inherited[node] = false;
            }

            if (beforeScore is not null)
            {
                double pb = MeasureScoring.Progress(hasThen ? then[s.Column] : double.NaN, s.Baseline, s.Target, s.Direction);
                double xb = double.IsNaN(pb) ? double.NaN : Math.Clamp(pb, 0, cap[s.Context]);
                beforeScore[node] = xb;
                trend[node] = TrendOf(x, xb);
            }
        }
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
        r.WithData[node] = 0;
        r.Status[node] = MeasureStatus(def, card, score, progress, performance, v, t);
        r.Coverage[node] = CompactCoverage.From(MeasureCoverage(m, window));
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
        r.Status[node] = MeasureStatus(def, card, r.Score[node], r.Progress[node], r.Performance[node], v, t);
        r.Coverage[node] = CompactCoverage.From(MeasureCoverage(m, window));
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
    private void EvaluateContainer(int node, Window window, Results r, CompactCoverage[] coverage, Window beforeWindow = default, Results? before = null)
    {
        int context = _nodeContext[node];
        var card = _cards[context];
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
        r.Inherited[node] = false;
        r.Coverage[node] = coverage[context];
        r.WithData[node] = ChildrenWithData(first, last, r);
        double score = r.Score[node];
        r.Status[node] = double.IsNaN(score) ? (byte)Status.Gray
            : _cardThresholds[context] is { } thresholds ? thresholds.Evaluate(score)
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
