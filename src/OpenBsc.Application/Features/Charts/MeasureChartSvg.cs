using System.Globalization;
using System.Text;

namespace OpenBsc.Application.Features.Charts;

/// <summary>
/// Draws a measure's value against its target over time as a standalone SVG document (no script, no style
/// sheet, invariant numbers, the same bytes for the same input; never NaN or Infinity whatever the data).
/// </summary>
/// <remarks>
/// The value series is a solid line (class <c>value-series</c>, one path per run of periods with a value: a
/// missing value leaves a gap) with a marker per value whose shape carries its status (● Green, ▲ Yellow,
/// ■ Red, ○ Gray); the target a dashed line (class <c>target-series</c>); status bands are zones behind them; a
/// forecast is a dashed line over its shaded 80% interval. The value axis has 1/2/5 × 10^k ticks
/// (<see cref="NiceScale"/>); period labels are thinned so they never overlap, always keeping the latest.
/// </remarks>
public static class MeasureChartSvg
{
    public const double Width = 720;
    public const double Height = 360;

    private const double Margin = 12;
    private const double PlotTop = 52;
    private const double PlotBottom = Height - 62;
    private const double PlotRightEdge = Width - 16;
    private const double TickFontSize = 11;
    private const double TitleFontSize = 15;
    private const double MaxLabelWidth = 90;
    private const string ValueColour = "#1565c0";
    private const string TargetColour = "#424242";
    private const string ForecastColour = "#6a8fc7";
    private const string GridColour = "#e0e0e0";
    private const string TextColour = "#212121";
    private const string MutedColour = "#616161";

    public static string Render(MeasureChartInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var chart = new Chart(input);
        var svg = new StringBuilder(8_192);
        string title = string.IsNullOrWhiteSpace(input.Title) ? "Measure" : input.Title;
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {N(Width)} {N(Height)}" width="{N(Width)}" height="{N(Height)}" role="img" aria-label="{SvgText.Escape(chart.Summary(title))}" font-family="{SvgText.FontFamily}" class="openbsc-measure-chart">""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"<title>{SvgText.Escape(title)}</title>\n");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect class="background" width="{N(Width)}" height="{N(Height)}" fill="#ffffff"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text class="chart-title" x="{N(Margin)}" y="24" font-size="{N(TitleFontSize)}" font-weight="bold" fill="{TextColour}">{SvgText.Escape(SvgText.Truncate(title, Width - (2 * Margin), TitleFontSize, bold: true))}</text>""").Append('\n');

        chart.StatusZones(svg);
        chart.Axes(svg);
        chart.ForecastSeries(svg);
        chart.TargetSeries(svg);
        chart.ValueSeries(svg);
        chart.NoData(svg);
        chart.Legend(svg);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string N(double value) => SvgText.Number(value);

    /// <summary>A value with its unit, for titles and labels: 1,234.5 USD, 82.5%, 1.2E+18 kg.</summary>
    internal static string FormatValue(double value, string? unit)
    {
        double magnitude = Math.Abs(value);
        string number = magnitude == 0 ? "0"
            : magnitude >= 1e15 || magnitude < 1e-4 ? value.ToString("0.###E+0", CultureInfo.InvariantCulture)
            : magnitude >= 1 ? value.ToString("#,##0.##", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
        return string.IsNullOrWhiteSpace(unit) ? number
            : unit.Trim() == "%" ? number + "%"
            : number + " " + unit.Trim();
    }

    /// <summary>A tick label: as many decimals as the step needs, thousands separated; scientific when huge or tiny.</summary>
    internal static string FormatTick(double tick, double step)
    {
        if (tick == 0)
        {
            return "0";
        }

        if (Math.Abs(tick) >= 1e15 || step < 1e-6)
        {
            return tick.ToString("0.##E+0", CultureInfo.InvariantCulture);
        }

        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 6);
        return tick.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private readonly record struct PlotPoint(double X, double Y);

    /// <summary>The chart's data, cleaned (non-finite numbers are missing), and its geometry.</summary>
    private sealed class Chart
    {
        private readonly string? _unit;
        private readonly List<string> _labels = [];
        private readonly double?[] _value;
        private readonly double?[] _target;
        private readonly string?[] _status;
        private readonly List<(int Index, double Value, double Low, double High)> _forecast = [];
        private readonly List<StatusBand> _zones = [];
        private readonly NiceScale? _scale;
        private readonly double _plotLeft;

        public Chart(MeasureChartInput input)
        {
            _unit = input.Unit;
            var points = input.Points ?? [];
            _value = new double?[points.Count];
            _target = new double?[points.Count];
            _status = new string?[points.Count];
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < points.Count; i++)
            {
                string label = points[i].PeriodLabel ?? string.Empty;
                _labels.Add(label);
                index.TryAdd(label, i);
                _value[i] = Clean(points[i].Value);
                _target[i] = Clean(points[i].Target);
                _status[i] = points[i].Status;
            }

            foreach (var f in input.Forecast ?? [])
            {
                if (Clean(f.Value) is not double value)
                {
                    continue;
                }

                string label = f.PeriodLabel ?? string.Empty;
                if (!index.TryGetValue(label, out int at))
                {
                    at = _labels.Count;
                    _labels.Add(label);
                    index.Add(label, at);
                }

                double low = Clean(f.Low) ?? value;
                double high = Clean(f.High) ?? value;
                _forecast.Add((at, value, Math.Min(low, high), Math.Max(low, high)));
            }

            _forecast.Sort((p, q) => p.Index.CompareTo(q.Index));
            _zones.AddRange((input.StatusBands ?? []).Where(z => !double.IsNaN(z.From) && !double.IsNaN(z.To)));

            var numbers = _value.Concat(_target).OfType<double>()
                .Concat(_forecast.SelectMany(f => new[] { f.Value, f.Low, f.High }))
                .ToList();
            if (numbers.Count > 0)
            {
                _scale = NiceScale.For(numbers.Min(), numbers.Max());
            }

            double labelWidth = _scale is null ? 0 : _scale.Ticks.Max(t => SvgText.Width(FormatTick(t, _scale.Step), TickFontSize));
            _plotLeft = Margin + Math.Max(labelWidth, 16) + 8;
        }

        private bool HasValues => _value.Any(v => v is not null) || _forecast.Count > 0;

        private double PlotWidth => PlotRightEdge - _plotLeft;

        public string Summary(string title)
        {
            int last = Array.FindLastIndex(_value, v => v is not null);
            if (last < 0)
            {
                return $"{title}: no data.";
            }

            string text = $"{title}: latest value {FormatValue(_value[last]!.Value, _unit)} in {_labels[last]}";
            if (_target[last] is double target)
            {
                text += $", against a target of {FormatValue(target, _unit)}";
            }

            var style = StatusStyle.Of(_status[last], hasScore: true);
            if (style != StatusStyle.None)
            {
                text += $" (status {style.Word})";
            }

            return text + ".";
        }

        // Values stay as given for the text; the axis (NiceScale) and Y() bound what is drawn.
        private static double? Clean(double? x) => x is double v && double.IsFinite(v) ? v : null;

        private double X(int index) => _plotLeft + (PlotWidth * (index + 0.5) / Math.Max(1, _labels.Count));

        private double Y(double value)
        {
            var scale = _scale!;
            double v = Math.Clamp(value, scale.Min, scale.Max);
            return PlotBottom - ((v - scale.Min) / (scale.Max - scale.Min) * (PlotBottom - PlotTop));
        }

        public void StatusZones(StringBuilder svg)
        {
            if (_scale is null || _zones.Count == 0)
            {
                return;
            }

            svg.Append("<g class=\"status-zones\">\n");
            foreach (var zone in _zones)
            {
                double top = Y(Math.Max(zone.From, zone.To));
                double bottom = Y(Math.Min(zone.From, zone.To));
                if (bottom - top < 0.5)
                {
                    continue; // outside the axis
                }

                var style = StatusStyle.Of(zone.Status, hasScore: false);
                double low = Math.Min(zone.From, zone.To);
                double high = Math.Max(zone.From, zone.To);
                string range = (double.IsFinite(low), double.IsFinite(high)) switch
                {
                    (true, true) => $"{FormatValue(low, _unit)} to {FormatValue(high, _unit)}",
                    (true, false) => $"from {FormatValue(low, _unit)}",
                    (false, true) => $"below {FormatValue(high, _unit)}",
                    _ => "all values",
                };
                svg.Append(CultureInfo.InvariantCulture, $"""<g class="status-zone status-{style.Key}"><title>{SvgText.Escape($"{style.Word} zone: {range}")}</title>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(_plotLeft)}" y="{N(top)}" width="{N(PlotWidth)}" height="{N(bottom - top)}" fill="{style.Stroke}" fill-opacity="0.1"/>""");
                if (bottom - top >= 14)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(PlotRightEdge - 4)}" y="{N(top + 11)}" text-anchor="end" font-size="10" fill="{style.Ink}">{SvgText.Escape(style.Word)}</text>""");
                }

                svg.Append("</g>\n");
            }

            svg.Append("</g>\n");
        }

        public void Axes(StringBuilder svg)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="axes" font-size="{N(TickFontSize)}" fill="{MutedColour}">""").Append('\n');
            if (_scale is not null)
            {
                foreach (double tick in _scale.Ticks)
                {
                    double y = Y(tick);
                    svg.Append(CultureInfo.InvariantCulture, $"""<g class="y-tick" data-value="{tick.ToString("R", CultureInfo.InvariantCulture)}"><line x1="{N(_plotLeft)}" y1="{N(y)}" x2="{N(PlotRightEdge)}" y2="{N(y)}" stroke="{GridColour}"/>""");
                    svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(_plotLeft - 6)}" y="{N(y + 4)}" text-anchor="end">{SvgText.Escape(FormatTick(tick, _scale.Step))}</text></g>""").Append('\n');
                }
            }

            if (!string.IsNullOrWhiteSpace(_unit))
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<text class="unit" x="{N(Margin)}" y="{N(PlotTop - 12)}">{SvgText.Escape(SvgText.Truncate(_unit, 200, TickFontSize))}</text>""").Append('\n');
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<line class="x-axis" x1="{N(_plotLeft)}" y1="{N(PlotBottom)}" x2="{N(PlotRightEdge)}" y2="{N(PlotBottom)}" stroke="#9e9e9e"/>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<line class="y-axis" x1="{N(_plotLeft)}" y1="{N(PlotTop)}" x2="{N(_plotLeft)}" y2="{N(PlotBottom)}" stroke="#9e9e9e"/>""").Append('\n');

            // Period labels: every k-th, counted back from the latest so that the latest is always labelled.
            if (_labels.Count > 0)
            {
                var shown = _labels.Select(l => SvgText.Truncate(l, MaxLabelWidth, TickFontSize)).ToList();
                double widest = shown.Max(l => SvgText.Width(l, TickFontSize));
                double slot = PlotWidth / _labels.Count;
                int every = Math.Max(1, (int)Math.Ceiling((widest + 8) / slot));
                for (int i = _labels.Count - 1; i >= 0; i -= every)
                {
                    double x = X(i);
                    svg.Append(CultureInfo.InvariantCulture, $"""<g class="x-tick"><line x1="{N(x)}" y1="{N(PlotBottom)}" x2="{N(x)}" y2="{N(PlotBottom + 4)}" stroke="#9e9e9e"/><text x="{N(x)}" y="{N(PlotBottom + 17)}" text-anchor="middle">{SvgText.Escape(shown[i])}</text></g>""").Append('\n');
                }
            }

            svg.Append("</g>\n");
        }

        public void ValueSeries(StringBuilder svg)
        {
            if (_scale is null)
            {
                return;
            }

            svg.Append("<g class=\"values\">\n");
            foreach (var run in Runs(_value).Where(r => r.Count > 1))
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<path class="value-series" d="{Line(run, _value)}" fill="none" stroke="{ValueColour}" stroke-width="2.2" stroke-linejoin="round"/>""").Append('\n');
            }

            for (int i = 0; i < _value.Length; i++)
            {
                if (_value[i] is not double value)
                {
                    continue;
                }

                string title = $"{_labels[i]}: {FormatValue(value, _unit)}";
                if (_target[i] is double target)
                {
                    title += $" (target {FormatValue(target, _unit)})";
                }

                var style = _status[i] is null ? null : StatusStyle.Of(_status[i], hasScore: false);
                if (style is not null)
                {
                    title += $", {style.Word}";
                }

                svg.Append(CultureInfo.InvariantCulture, $"""<g class="point status-{style?.Key ?? "none"}"><title>{SvgText.Escape(title)}</title>""");
                svg.Append(Marker(X(i), Y(value), style));
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{N(X(i))}" cy="{N(Y(value))}" r="9" fill="none" pointer-events="all"/></g>""").Append('\n');
            }

            svg.Append("</g>\n");
        }

        public void TargetSeries(StringBuilder svg)
        {
            if (_scale is null || _target.All(t => t is null))
            {
                return;
            }

            // A target holds for its whole period: a step line, level across each period's slot.
            svg.Append("<g class=\"targets\">\n");
            double half = PlotWidth / Math.Max(1, _labels.Count) / 2;
            foreach (var run in Runs(_target))
            {
                var d = new StringBuilder();
                foreach (int i in run)
                {
                    double y = Y(_target[i]!.Value);
                    d.Append(d.Length == 0 ? $"M{N(X(i) - half)},{N(y)}" : $" V{N(y)}");
                    d.Append(CultureInfo.InvariantCulture, $" H{N(X(i) + half)}");
                }

                svg.Append(CultureInfo.InvariantCulture, $"""<path class="target-series" d="{d}" fill="none" stroke="{TargetColour}" stroke-width="1.8" stroke-dasharray="6 4"/>""").Append('\n');
            }

            svg.Append("</g>\n");
        }

        public void ForecastSeries(StringBuilder svg)
        {
            if (_scale is null || _forecast.Count == 0)
            {
                return;
            }

            svg.Append("<g class=\"forecast\">\n");

            // The forecast continues from the last value when that value is in the period just before it.
            int first = _forecast[0].Index;
            PlotPoint? anchor = first > 0 && first - 1 < _value.Length && _value[first - 1] is double last
                ? new PlotPoint(X(first - 1), Y(last))
                : null;

            var band = new StringBuilder();
            if (anchor is { } a)
            {
                band.Append(CultureInfo.InvariantCulture, $"M{N(a.X)},{N(a.Y)}");
            }

            foreach (var f in _forecast)
            {
                band.Append(CultureInfo.InvariantCulture, $"{(band.Length == 0 ? "M" : " L")}{N(X(f.Index))},{N(Y(f.High))}");
            }

            for (int i = _forecast.Count - 1; i >= 0; i--)
            {
                band.Append(CultureInfo.InvariantCulture, $" L{N(X(_forecast[i].Index))},{N(Y(_forecast[i].Low))}");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<path class="forecast-interval" d="{band} Z" fill="{ForecastColour}" fill-opacity="0.18" stroke="none"/>""").Append('\n');

            var line = new StringBuilder();
            if (anchor is { } b)
            {
                line.Append(CultureInfo.InvariantCulture, $"M{N(b.X)},{N(b.Y)}");
            }

            foreach (var f in _forecast)
            {
                line.Append(CultureInfo.InvariantCulture, $"{(line.Length == 0 ? "M" : " L")}{N(X(f.Index))},{N(Y(f.Value))}");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<path class="forecast-series" d="{line}" fill="none" stroke="{ForecastColour}" stroke-width="2" stroke-dasharray="3 3"/>""").Append('\n');
            foreach (var f in _forecast)
            {
                string title = $"{_labels[f.Index]}: forecast {FormatValue(f.Value, _unit)} (80% interval {FormatValue(f.Low, _unit)} to {FormatValue(f.High, _unit)})";
                svg.Append(CultureInfo.InvariantCulture, $"""<g class="forecast-point"><title>{SvgText.Escape(title)}</title><circle cx="{N(X(f.Index))}" cy="{N(Y(f.Value))}" r="3" fill="#ffffff" stroke="{ForecastColour}" stroke-width="1.5"/></g>""").Append('\n');
            }

            svg.Append("</g>\n");
        }

        public void NoData(StringBuilder svg)
        {
            if (HasValues)
            {
                return;
            }

            double x = _plotLeft + (PlotWidth / 2);
            double y = (PlotTop + PlotBottom) / 2;
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="no-data" x="{N(x)}" y="{N(y)}" text-anchor="middle" font-size="14" font-style="italic" fill="{MutedColour}">No data</text>""").Append('\n');
        }

        public void Legend(StringBuilder svg)
        {
            double y = Height - 16;
            double x = _plotLeft;
            const double fontSize = 11;
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="legend" font-size="{N(fontSize)}" fill="{TextColour}">""");
            svg.Append(CultureInfo.InvariantCulture, $"""<path d="M{N(x)},{N(y - 4)} H{N(x + 24)}" stroke="{ValueColour}" stroke-width="2.2"/><circle cx="{N(x + 12)}" cy="{N(y - 4)}" r="3.5" fill="{ValueColour}"/><text x="{N(x + 30)}" y="{N(y)}">Value</text>""");
            x += 30 + SvgText.Width("Value", fontSize) + 16;
            svg.Append(CultureInfo.InvariantCulture, $"""<path d="M{N(x)},{N(y - 4)} H{N(x + 24)}" stroke="{TargetColour}" stroke-width="1.8" stroke-dasharray="6 4"/><text x="{N(x + 30)}" y="{N(y)}">Target</text>""");
            x += 30 + SvgText.Width("Target", fontSize) + 16;
            if (_forecast.Count > 0)
            {
                const string text = "Forecast (80% interval)";
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(x)}" y="{N(y - 10)}" width="24" height="12" fill="{ForecastColour}" fill-opacity="0.18"/><path d="M{N(x)},{N(y - 4)} H{N(x + 24)}" stroke="{ForecastColour}" stroke-width="2" stroke-dasharray="3 3"/><text x="{N(x + 30)}" y="{N(y)}">{SvgText.Escape(text)}</text>""");
                x += 30 + SvgText.Width(text, fontSize) + 16;
            }

            if (_status.Any(s => s is not null))
            {
                foreach (var style in StatusStyle.Legend)
                {
                    string text = style.Word;
                    svg.Append(Marker(x + 5, y - 4, style));
                    svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 14)}" y="{N(y)}" fill="{style.Ink}">{SvgText.Escape(text)}</text>""");
                    x += 14 + SvgText.Width(text, fontSize) + 14;
                }
            }

            svg.Append("</g>\n");
        }

        private static string Marker(double x, double y, StatusStyle? style)
        {
            if (style is null || style == StatusStyle.None)
            {
                return string.Create(CultureInfo.InvariantCulture, $"""<circle cx="{N(x)}" cy="{N(y)}" r="3.5" fill="{ValueColour}"/>""");
            }

            if (style == StatusStyle.Green)
            {
                return string.Create(CultureInfo.InvariantCulture, $"""<circle cx="{N(x)}" cy="{N(y)}" r="4.5" fill="{style.Stroke}" stroke="#ffffff"/>""");
            }

            if (style == StatusStyle.Yellow)
            {
                return string.Create(CultureInfo.InvariantCulture, $"""<path d="M{N(x)},{N(y - 5.5)} L{N(x + 5.5)},{N(y + 4)} L{N(x - 5.5)},{N(y + 4)} z" fill="{style.Stroke}" stroke="#5d4037" stroke-width="0.8"/>""");
            }

            if (style == StatusStyle.Red)
            {
                return string.Create(CultureInfo.InvariantCulture, $"""<rect x="{N(x - 4)}" y="{N(y - 4)}" width="8" height="8" fill="{style.Stroke}" stroke="#ffffff"/>""");
            }

            return string.Create(CultureInfo.InvariantCulture, $"""<circle cx="{N(x)}" cy="{N(y)}" r="4" fill="#ffffff" stroke="{style.Stroke}" stroke-width="1.8"/>""");
        }

        private static List<List<int>> Runs(double?[] series)
        {
            var runs = new List<List<int>>();
            List<int>? current = null;
            for (int i = 0; i < series.Length; i++)
            {
                if (series[i] is null)
                {
                    current = null;
                    continue;
                }

                if (current is null)
                {
                    current = [];
                    runs.Add(current);
                }

                current.Add(i);
            }

            return runs;
        }

        private string Line(List<int> run, double?[] series)
        {
            var d = new StringBuilder();
            foreach (int i in run)
            {
                d.Append(CultureInfo.InvariantCulture, $"{(d.Length == 0 ? "M" : " L")}{N(X(i))},{N(Y(series[i]!.Value))}");
            }

            return d.ToString();
        }
    }
}
