using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenBsc.Application.Features.Organisations;

/// <summary>
/// How an organisation reads numbers, dates and times (organisation settings): the one place that formats them for
/// people — web pages and the PDF report. Machine formats (the API, scorecard files, CSV exports, <c>openbsc score
/// --json</c>) never use it: they stay invariant so that what is exported imports again anywhere.
/// </summary>
/// <remarks>
/// A decimal comma groups thousands with a point (1.234,5), a decimal point with a comma (1,234.5), as Excel's
/// German and English locales do and as the anchors' exports show them. Times are shown in the organisation's time
/// zone; "UTC" is written after them only when that zone is UTC (otherwise the time is the organisation's own).
/// </remarks>
public sealed partial record OrganisationFormat(bool DecimalComma, string DateFormat, TimeZoneInfo Zone)
{
    /// <summary>A decimal point, ISO dates, UTC: what a new organisation and a page without a signed-in user use.</summary>
    public static OrganisationFormat Invariant { get; } = new(false, "yyyy-MM-dd", TimeZoneInfo.Utc);

    private static readonly AsyncLocal<OrganisationFormat?> Ambient = new();

    /// <summary>
    /// The format of the work in progress: the signed-in user's organisation's for a web request (set once per
    /// request before pages render), an organisation's while its briefing book is rendered, else
    /// <see cref="Invariant"/> (the command line, the API, background work for no organisation).
    /// </summary>
    public static OrganisationFormat Current => Ambient.Value ?? Invariant;

    /// <summary>Makes <paramref name="format"/> <see cref="Current"/> for the rest of the calling async flow.</summary>
    public static void Use(OrganisationFormat format) => Ambient.Value = format;

    private static readonly NumberFormatInfo Comma = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = ".", PercentDecimalSeparator = ",", PercentGroupSeparator = "." };

    /// <summary>The separators of <see cref="DecimalComma"/>.</summary>
    public NumberFormatInfo Numbers => DecimalComma ? Comma : NumberFormatInfo.InvariantInfo;

    /// <summary>What distinguishes one format from another (pages rendered for one are not served for another).</summary>
    public string Key => $"{(DecimalComma ? ',' : '.')}{DateFormat}@{Zone.Id}";

    /// <summary>A number as people read it: 2 decimals, half away from zero (SCORING.md), thousands grouped: 1,234.5 or 1.234,5.</summary>
    public string Number(double value) =>
        Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("#,0.##", Numbers);

    /// <summary>A whole number with thousands grouped: 12,345 or 12.345.</summary>
    public string Count(long value) => value.ToString("#,0", Numbers);

    /// <summary>A number as typed in a field (every digit kept, no grouping): 1234.5 or 1234,5; <see cref="TryRead"/> reads it back.</summary>
    public string Typed(double value) => value.ToString("R", Numbers);

    /// <summary>
    /// Reads a number as the organisation types it: 12,5 and 1.234,5 with a decimal comma, 12.5 and 1,234.5 with a
    /// point; spaces may group thousands too. The other separator is read only in groups of three digits, so that
    /// "12.5" typed in a comma organisation is not taken for 125 (it is no number there: the caller says so).
    /// </summary>
    public bool TryRead(string? text, out double value)
    {
        value = 0;
        string t = (text ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal).Replace("\u202F", "", StringComparison.Ordinal);
        if (!(DecimalComma ? CommaNumber() : PointNumber()).IsMatch(t) || !t.Any(char.IsAsciiDigit))
        {
            return false;
        }

        string invariant = DecimalComma ? t.Replace(".", "", StringComparison.Ordinal).Replace(',', '.') : t.Replace(",", "", StringComparison.Ordinal);
        return double.TryParse(invariant, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>How a number is typed here, for messages: "such as 1.234,5 (a comma for decimals)".</summary>
    public string TypedExample => DecimalComma ? "such as 1.234,5 (a comma for decimals)" : "such as 1,234.5 (a point for decimals)";

    [GeneratedRegex(@"^[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]*)(,[0-9]*)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex CommaNumber();

    [GeneratedRegex(@"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\.[0-9]*)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex PointNumber();

    /// <summary>A day in the organisation's date format: 2026-12-07, 07/12/2026, 12/07/2026 or 07.12.2026.</summary>
    public string Date(DateOnly day) => day.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>The day of a moment, in the organisation's time zone.</summary>
    public string Date(DateTime utc) => Date(DateOnly.FromDateTime(Local(utc).DateTime));

    /// <summary>A moment in the organisation's time zone and date format, to the minute (or second): "07.12.2026 11:28".</summary>
    public string Time(DateTime utc, bool seconds = false) => Time(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), seconds);

    /// <inheritdoc cref="Time(DateTime, bool)"/>
    public string Time(DateTimeOffset at, bool seconds = false)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        string time = local.ToString(seconds ? "HH:mm:ss" : "HH:mm", CultureInfo.InvariantCulture);
        return $"{Date(DateOnly.FromDateTime(local.DateTime))} {time}{(Zone.BaseUtcOffset == TimeSpan.Zero && !Zone.SupportsDaylightSavingTime ? " UTC" : "")}";
    }

    private DateTimeOffset Local(DateTime utc) => TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), Zone);
}
