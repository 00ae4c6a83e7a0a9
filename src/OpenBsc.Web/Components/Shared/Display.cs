using System.Globalization;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Web.Components.Shared;

/// <summary>How numbers, statuses and trends are shown: 2 decimals half away from zero, never colour alone.</summary>
public static class Display
{
    public static string Number(double? value, string? unit = null)
    {
        if (value is not double v)
        {
            return "—";
        }

        string number = OpenBsc.Application.Features.Scoring.ScoreReport.Display(v);
        return unit switch
        {
            null or "" => number,
            "%" => number + "%",
            _ => $"{number} {unit}",
        };
    }

    public static string Percent(double? fraction) => fraction is double f ? Number(f * 100) + "%" : "—";

    public static string StatusClass(Status? status) => status switch
    {
        Status.Green => "status-green",
        Status.Yellow => "status-yellow",
        Status.Red => "status-red",
        Status.Gray => "status-gray",
        _ => "status-none",
    };

    public static string StatusIcon(Status? status) => status switch
    {
        Status.Green => "●",
        Status.Yellow => "▲",
        Status.Red => "■",
        Status.Gray => "○",
        _ => "–",
    };

    public static string StatusText(Status? status) => status switch
    {
        Status.Green => "Green",
        Status.Yellow => "Yellow",
        Status.Red => "Red",
        Status.Gray => "No data",
        _ => "Not scored",
    };

    public static string TrendGlyph(Trend? trend) => trend switch
    {
        Trend.Improving => "↑",
        Trend.Worsening => "↓",
        Trend.Flat => "→",
        _ => "·",
    };

    public static string TrendText(Trend? trend) => trend switch
    {
        Trend.Improving => "improving",
        Trend.Worsening => "worsening",
        Trend.Flat => "flat",
        _ => "no trend",
    };

    public static string KindLabel(PeriodKind kind) => kind switch
    {
        PeriodKind.Day => "Days",
        PeriodKind.Week => "Weeks",
        PeriodKind.Month => "Months",
        PeriodKind.Quarter => "Quarters",
        PeriodKind.HalfYear => "Half-years",
        _ => "Years",
    };

    public static string PeriodLabel(Period period) => period.Kind switch
    {
        PeriodKind.Month => new DateOnly(period.Year, period.Number, 1).ToString("MMMM yyyy", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => $"Q{period.Number} {period.Year}",
        PeriodKind.HalfYear => $"H{period.Number} {period.Year}",
        PeriodKind.Year => $"Year {period.Year}",
        _ => period.ToString(),
    };

    public static string ViewLabel(PeriodView view) => view.YearToDate ? $"{PeriodLabel(view.Period)}, year to date" : PeriodLabel(view.Period);

    public static string Enum(string name) => string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static string ScoringDescription(Measure measure)
    {
        var s = measure.Scoring;
        string F(double? x) => Number(x, measure.Unit);
        return s.Type switch
        {
            ScoringType.Linear when measure.Scale == Scale.Performance => $"linear on the performance scale {F(measure.Min)} → {F(measure.Max)}",
            ScoringType.Linear => "linear from baseline to target",
            ScoringType.Thresholds => $"thresholds: goal {F(s.Goal)} (scores 2/3), red flag {F(s.RedFlag)} (scores 1/3)",
            ScoringType.Range => $"range: 100% between {F(s.Low)} and {F(s.High)}, 0% beyond ±{F(s.Tolerance ?? 0)}",
            ScoringType.Ratio => "ratio: percent of target",
            ScoringType.Points => "points: " + string.Join(", ", s.Points.Select(p => $"{F(p.Value)} → {Percent(p.Score)}")),
            ScoringType.Binary => "binary: 100% when the target is met, else 0%",
            ScoringType.Formula => $"formula: {s.Expression}",
            _ => "not scored (informational)",
        };
    }
}
