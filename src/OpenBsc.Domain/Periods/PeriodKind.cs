namespace OpenBsc.Domain.Periods;

/// <summary>Granularity of a period, finest first: the numeric order is the nesting order.</summary>
public enum PeriodKind : byte
{
    Day = 0,
    Week = 1,
    Month = 2,
    Quarter = 3,
    HalfYear = 4,
    Year = 5,
}
