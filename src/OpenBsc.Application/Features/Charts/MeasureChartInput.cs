namespace OpenBsc.Application.Features.Charts;

/// <summary>
/// One period of a measure chart: the observed <see cref="Value"/> and the <see cref="Target"/> (null = none,
/// drawn as a gap; a non-finite number counts as none) and the status (Green, Yellow, Red, Gray) of the value.
/// </summary>
public readonly record struct ChartPoint(string PeriodLabel, double? Value, double? Target, string? Status = null);

/// <summary>
/// A horizontal zone drawn behind the series, in value units, coloured by <see cref="Status"/>, from
/// <see cref="From"/> to <see cref="To"/> (either order; an infinite end runs to the edge of the chart).
/// </summary>
public readonly record struct StatusBand(double From, double To, string Status);

/// <summary>A forecast period: the expected value and its 80% interval (<see cref="Low"/>..<see cref="High"/>).</summary>
public readonly record struct ForecastPoint(string PeriodLabel, double Value, double Low, double High);

/// <summary>
/// What a measure chart shows: <see cref="Points"/> in time order (typically 12–24 periods), then, when given,
/// <see cref="Forecast"/> periods after them. <see cref="Unit"/> follows each value (none when null or empty).
/// </summary>
public sealed record MeasureChartInput(
    string Title,
    string? Unit,
    IReadOnlyList<ChartPoint> Points,
    IReadOnlyList<StatusBand>? StatusBands = null,
    IReadOnlyList<ForecastPoint>? Forecast = null);
