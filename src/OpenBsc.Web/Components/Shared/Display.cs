using System.Globalization;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Web.Components.Shared;

/// <summary>
/// How numbers, dates, statuses and trends are shown: 2 decimals half away from zero, never colour alone; numbers
/// and dates in the format of the signed-in user's organisation (<see cref="Format"/>).
/// </summary>
public static class Display
{
    /// <summary>
    /// The format of the request being rendered: its user's organisation's, set once per request by
    /// <see cref="OrganisationFormatting"/> before any page renders (invariant without a signed-in user).
    /// </summary>
    public static OrganisationFormat Format => OrganisationFormat.Current;

    /// <summary>A day in the organisation's date format, or <paramref name="none"/>.</summary>
    public static string Date(DateOnly? day, string none = "") => day is { } d ? Format.Date(d) : none;

    /// <summary>A moment in the organisation's time zone and date format, to the minute.</summary>
    public static string Time(DateTime at) => Format.Time(at);

    /// <inheritdoc cref="Time(DateTime)"/>
    public static string Time(DateTimeOffset at) => Format.Time(at);

    /// <summary>A whole number with the organisation's thousands separator.</summary>
    public static string Count(long count) => Format.Count(count);

    public static string Number(double? value, string? unit = null)
    {
        if (value is not double v)
        {
            return "—";
        }

        string number = Format.Number(v);
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

    /// <summary>A period key as people read it ("2026-12" → "December 2026"); text that is not a period stays as it is.</summary>
    public static string PeriodLabel(string key) => Period.TryParse(key, out var period) ? PeriodLabel(period) : key;

    public static string ViewLabel(PeriodView view) => view.YearToDate ? $"{PeriodLabel(view.Period)}, year to date" : PeriodLabel(view.Period);

    public static string Enum(string name) => string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>
    /// What a measure's value is judged against: the period's target, or, for scorings that need none (thresholds,
    /// range, points), their own goal, so that a scored measure never reads as "no target".
    /// </summary>
    public static string Yardstick(Measure? measure, double? target)
    {
        if (target is not null || measure is null)
        {
            return Number(target, measure?.Unit);
        }

        var s = measure.Scoring;
        return s.Type switch
        {
            ScoringType.Thresholds when s.Goal is double goal => $"goal {Number(goal, measure.Unit)}",
            ScoringType.Range when s.Low is double low && s.High is double high => $"{Number(low)}–{Number(high, measure.Unit)}",
            ScoringType.Points => "by points",
            ScoringType.Linear when measure.Scale == Scale.Performance && measure.Min is not null && measure.Max is not null => $"scale {Number(measure.Min)}–{Number(measure.Max, measure.Unit)}",
            ScoringType.Formula => "by formula",
            _ => "—",
        };
    }

    /// <summary>
    /// A forecast that is on course to miss: the whole prediction interval falls short of the goal, not just the
    /// central line (a projection of 35.1 against a target of 35 with an interval of 33.7–36.5 is not a miss).
    /// </summary>
    public static bool LikelyMiss(OpenBsc.Domain.Analytics.MeasureForecast forecast)
    {
        var f = forecast.Forecast;
        if (f.OnTrack != false)
        {
            return false;
        }

        if (f.Low is not double low || f.High is not double high)
        {
            return true;
        }

        return forecast.Direction switch
        {
            Direction.Decrease => f.Target is double t && low > t,
            Direction.Increase => f.Target is double t && high < t,
            _ => true,
        };
    }

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
