using OpenBsc.Domain.Periods;

namespace OpenBsc.Domain.Alerts;

/// <summary>Which side of a period's close a reminder is on.</summary>
public enum ReminderKind
{
    /// <summary>The period closes in a few days and has no value yet.</summary>
    BeforeClose,

    /// <summary>The period closed some days ago and still has no value.</summary>
    AfterClose,
}

/// <summary>A reminder to a measure's owner: which period, and its last day.</summary>
public sealed record Reminder(ReminderKind Kind, Period Period, DateOnly PeriodEnd);

/// <summary>
/// When measure owners are reminded to enter data, by the scorecard's fiscal calendar (a quarterly measure in a
/// fiscal year starting in April closes its Q1 on 30 June).
/// </summary>
public static class Reminders
{
    /// <summary>
    /// The reminders due on <paramref name="today"/> for a measure of <paramref name="frequency"/>:
    /// BeforeClose for the period containing today when today ≥ its end − <paramref name="daysBefore"/>;
    /// AfterClose for the period before it when today ≥ its end + <paramref name="daysAfter"/>; each only while
    /// the period has no value (<paramref name="hasValue"/>). A negative number of days turns that reminder off.
    /// Each is due every day of its window: the caller sends it once per (measure, period, kind).
    /// </summary>
    public static IReadOnlyList<Reminder> Due(PeriodKind frequency, FiscalCalendar calendar, DateOnly today, int daysBefore, int daysAfter, Func<Period, bool> hasValue)
    {
        ArgumentNullException.ThrowIfNull(hasValue);
        var due = new List<Reminder>(2);
        var current = Period.Containing(frequency, today, calendar);
        var end = current.End(calendar);
        if (daysBefore >= 0 && today >= end.AddDays(-daysBefore) && !hasValue(current))
        {
            due.Add(new Reminder(ReminderKind.BeforeClose, current, end));
        }

        var closed = current.Previous();
        var closedEnd = closed.End(calendar);
        if (daysAfter >= 0 && today >= closedEnd.AddDays(daysAfter) && !hasValue(closed))
        {
            due.Add(new Reminder(ReminderKind.AfterClose, closed, closedEnd));
        }

        return due;
    }

    /// <summary>The last period of <paramref name="frequency"/> that ended before <paramref name="today"/>.</summary>
    public static Period LastClosed(PeriodKind frequency, FiscalCalendar calendar, DateOnly today) =>
        Period.Containing(frequency, today, calendar).Previous();
}
