using System.Globalization;

namespace OpenBsc.Application.Features.Observations;

/// <summary>
/// Dates in the workbooks OpenBsc writes and reads. A spreadsheet keeps a date as a number (days since 1899-12-30,
/// the time of day as the fraction) shown through a date number format: written that way, a user can sort and filter
/// by it as a date, which ISO text does not allow. Instants are written in the organisation's time zone (a cell has
/// none), in its date format.
/// </summary>
public static class XlsxDates
{
    /// <summary>The serial number of a day.</summary>
    public static double Serial(DateOnly day) => day.ToDateTime(TimeOnly.MinValue).ToOADate();

    /// <summary>The serial number of a moment stored in UTC, as the clock reads in <paramref name="zone"/>.</summary>
    public static double Serial(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToOADate();

    /// <summary>A spreadsheet's date format code for an organisation date format: yyyy-MM-dd → yyyy-mm-dd, dd.MM.yyyy → dd.mm.yyyy.</summary>
    public static string DateCode(string dateFormat) => dateFormat.ToLowerInvariant();

    /// <summary>The date-and-time format code: the organisation's date, then the 24-hour time.</summary>
    public static string TimeCode(string dateFormat, bool seconds) => DateCode(dateFormat) + (seconds ? " hh:mm:ss" : " hh:mm");

    /// <summary>
    /// What a number format shows: a date or time (the built-in formats 14–22, 45–47, and the East Asian 27–36,
    /// 50–58, or a custom code holding d, m, y, h or s outside quotes, brackets and escapes), and whether a month
    /// without a day (mmm-yy, built-in 17: what Excel makes of <c>2026-03</c> typed into a cell).
    /// </summary>
    public static XlsxDateKind Kind(uint id, string? code)
    {
        if (id == 17)
        {
            return XlsxDateKind.Month;
        }

        if (id is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58))
        {
            return XlsxDateKind.Date;
        }

        if (id < 164 || string.IsNullOrEmpty(code))
        {
            return XlsxDateKind.None;
        }

        bool quoted = false, bracketed = false, month = false;
        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            if (quoted)
            {
                quoted = c != '"';
            }
            else if (bracketed)
            {
                bracketed = c != ']';
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '[')
            {
                bracketed = true;
            }
            else if (c == '\\')
            {
                i++;
            }
            else if (c == ';')
            {
                // The first section (positive numbers) decides.
                break;
            }
            else if (char.ToLowerInvariant(c) is 'd' or 'h' or 's')
            {
                return XlsxDateKind.Date;
            }
            else if (char.ToLowerInvariant(c) is 'm' or 'y')
            {
                month = true;
            }
        }

        return month ? XlsxDateKind.Month : XlsxDateKind.None;
    }

    /// <summary>
    /// A date cell's serial number as ISO text, as the importer reads text cells: 2026-06 for a cell showing a month,
    /// 2026-06-01 for a day, 2026-06-01T14:30:00 with a time of day; null when the number is no date a spreadsheet can show.
    /// </summary>
    public static string? Text(string serial, XlsxDateKind kind)
    {
        if (!double.TryParse(serial, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || number is < 0 or >= 2958466)
        {
            return null;
        }

        var at = DateTime.FromOADate(number);
        // To the second: a serial's fraction rarely lands on a whole second.
        at = new DateTime((at.Ticks + TimeSpan.TicksPerSecond / 2) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
        return kind == XlsxDateKind.Month ? at.ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : at.TimeOfDay == TimeSpan.Zero
            ? at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }
}

/// <summary>What a cell's number format shows.</summary>
public enum XlsxDateKind
{
    /// <summary>A number.</summary>
    None,

    /// <summary>A day, or a day and time.</summary>
    Date,

    /// <summary>A month without its day (mmm-yy).</summary>
    Month,
}
