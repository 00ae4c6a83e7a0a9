using OpenBsc.Application.Features.Charts;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Web.Components.Shared;

/// <summary>Builds the series of the measure and objective charts from a snapshot (one evaluation per period, memoised).</summary>
public static class Charts
{
    /// <summary>Value vs target over the periods up to the viewed one, with the status bands of the viewed period behind.</summary>
    public static string MeasureHistory(ScorecardSnapshot snapshot, PeriodView view, NodeDefinition node, Measure measure, MeasureForecast? forecast = null)
    {
        var periods = PeriodsUpTo(view, measure.Frequency, snapshot.Scorecard.Calendar);
        var points = periods.Select(p =>
        {
            var score = snapshot.Evaluate(view with { Period = p, YearToDate = false })[node.Index];
            return new ChartPoint(p.ToString(), score.Value, score.Target, score.Status?.ToString());
        }).ToList();
        var current = snapshot.Evaluate(view with { Period = periods[^1], YearToDate = false })[node.Index];
        var rules = measure.Status ?? snapshot.Scorecard.Status;
        var bands = Bands(rules, s => ValueAtScore(measure, s, current.Target));
        // The forecast is drawn at its target period, when that lies after the periods shown.
        List<ForecastPoint>? projected = forecast?.Forecast is { Projected: double p, Low: double low, High: double high } && Period.TryParse(forecast.TargetPeriod, out var at) && at > periods[^1]
            ? [new ForecastPoint(forecast.TargetPeriod, p, low, high)]
            : null;
        string title = $"{measure.Name} — value and target";
        return Wrap(title, MeasureChartSvg.Render(new MeasureChartInput(title, measure.Unit, points, bands, projected)));
    }

    /// <summary>An objective's score (in %) over the periods up to the viewed one.</summary>
    public static string ScoreHistory(ScorecardSnapshot snapshot, PeriodView view, NodeDefinition node, FiscalCalendar calendar)
    {
        var periods = PeriodsUpTo(view, PeriodKind.Month, calendar);
        var points = periods.Select(p =>
        {
            var score = snapshot.Evaluate(view with { Period = p, YearToDate = false })[node.Index];
            return new ChartPoint(p.ToString(), score.Score * 100, null, score.Status?.ToString());
        }).ToList();
        var bands = Bands(snapshot.Scorecard.Status, s => s * 100);
        string title = $"{node.Name} — score";
        return Wrap(title, MeasureChartSvg.Render(new MeasureChartInput(title, "%", points, bands)));
    }

    /// <summary>
    /// On a phone the chart scrolls inside its box: the box takes the keyboard focus (arrow keys scroll it) and is named,
    /// so a keyboard or screen-reader user reaches what a finger swipes to.
    /// </summary>
    private static string Wrap(string title, string svg) =>
        $"<div class=\"chart-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{System.Net.WebUtility.HtmlEncode(title)}\">{svg}</div>";

    /// <summary>The last periods up to the viewed one, at the view's granularity or the measure's, whichever is coarser.</summary>
    private static List<Period> PeriodsUpTo(PeriodView view, PeriodKind frequency, FiscalCalendar calendar)
    {
        var kind = view.Period.Kind >= frequency ? view.Period.Kind : frequency;
        var last = Period.Containing(kind, view.Period.Start(calendar), calendar);
        int count = kind switch
        {
            PeriodKind.Quarter => 12,
            PeriodKind.HalfYear => 8,
            PeriodKind.Year => 5,
            _ => 24,
        };
        return [.. Enumerable.Range(0, count).Select(i => last.Shift(i - count + 1))];
    }

    /// <summary>
    /// Zones of value where each status holds, from score-based rules ("score ≥ x"), mapped to values by the
    /// measure's scoring; none when the scoring cannot be inverted (points, range, formula, binary).
    /// </summary>
    private static List<StatusBand> Bands(StatusRuleSet rules, Func<double, double?> valueAt)
    {
        var bands = new List<StatusBand>();
        double? upper = null; // score bound above the current band
        foreach (var rule in rules.Rules)
        {
            double? lower = rule.When switch
            {
                null => double.NegativeInfinity,
                { Variable: StatusVariable.Score, Comparison: Comparison.GreaterOrEqual or Comparison.Greater } c => c.Number,
                _ => null,
            };
            if (lower is null)
            {
                return [];
            }

            double? from = double.IsNegativeInfinity(lower.Value) ? Edge(valueAt, -1) : valueAt(lower.Value);
            double? to = upper is null ? Edge(valueAt, +1) : valueAt(upper.Value);
            if (from is null || to is null)
            {
                return [];
            }

            bands.Add(new StatusBand(from.Value, to.Value, rule.Status.ToString()));
            upper = lower;
            if (rule.When is null)
            {
                break;
            }
        }

        return bands;
    }

    /// <summary>The infinite end of the value axis in the direction where the score grows (+1) or shrinks (−1).</summary>
    private static double? Edge(Func<double, double?> valueAt, int towards)
    {
        if (valueAt(0) is not double a || valueAt(1) is not double b || a == b)
        {
            return null;
        }

        return (b > a) == (towards > 0) ? double.PositiveInfinity : double.NegativeInfinity;
    }

    private static double? ValueAtScore(Measure measure, double score, double? target)
    {
        var rule = measure.Scoring;
        switch (rule.Type)
        {
            case ScoringType.Linear when measure.Scale == Scale.Performance && measure.Min is double mn && measure.Max is double mx:
                return measure.Direction == Direction.Decrease ? mx - score * (mx - mn) : mn + score * (mx - mn);
            case ScoringType.Linear when target is double t && measure.Baseline is double b:
                return b + score * (t - b);
            case ScoringType.Linear or ScoringType.Ratio when target is double t:
                return measure.Direction == Direction.Decrease ? (2 - score) * t : score * t;
            case ScoringType.Thresholds when rule.Goal is double g && rule.RedFlag is double r:
                double d = g - r;
                return r - d + 3 * d * score;
            default:
                return null;
        }
    }
}
