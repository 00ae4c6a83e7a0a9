using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Web.Components.Shared;

/// <summary>
/// Small trend lines: the last periods of a node's score (or a measure's value) as an inline SVG polyline, broken
/// where a period has no value. The evaluations are the snapshot's memoised ones, shared by every row of a page.
/// </summary>
public sealed class Sparklines
{
    private const int Width = 84, Height = 22, Pad = 2;
    private readonly ScorecardEvaluation[] _evaluations;

    /// <summary>The <paramref name="count"/> periods of the view's kind up to the viewed one (year to date counts as the single period).</summary>
    public Sparklines(ScorecardSnapshot snapshot, PeriodView view, int count = 12)
    {
        var last = view.Period;
        Periods = [.. Enumerable.Range(0, count).Select(i => last.Shift(i - count + 1))];
        _evaluations = [.. Periods.Select(p => snapshot.Evaluate(new PeriodView(p)))];
    }

    public IReadOnlyList<Period> Periods { get; }

    /// <summary>The score line of a node (0–100 %), labelled for screen readers when <paramref name="label"/> is given.</summary>
    public MarkupString Score(int node, string? label = null) =>
        Line([.. _evaluations.Select(e => e[node].Score)], 0, 1, label is null ? null : $"{label}: score trend, {Describe(node)}");

    /// <summary>The value line of a measure, scaled between its lowest and highest value of the periods shown.</summary>
    public MarkupString Value(int node)
    {
        double?[] values = [.. _evaluations.Select(e => e[node] is { Inherited: false, Value: double v } ? v : (double?)null)];
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? default : Line(values, known.Min(), known.Max(), null);
    }

    private string Describe(int node)
    {
        var scores = _evaluations.Select(e => e[node].Score).OfType<double>().ToList();
        return scores.Count == 0 ? "no data" : $"from {Display.Percent(scores[0])} to {Display.Percent(scores[^1])}";
    }

    private static MarkupString Line(double?[] values, double min, double max, string? label)
    {
        if (values.All(v => v is null))
        {
            return default;
        }

        double span = max - min;
        double step = (Width - 2.0 * Pad) / Math.Max(1, values.Length - 1);
        var svg = new StringBuilder(256);
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"spark\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\"");
        svg.Append(label is null ? " aria-hidden=\"true\" focusable=\"false\">" : $" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(label)}\">");
        var segment = new List<(double X, double Y)>();
        void Flush()
        {
            if (segment.Count == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{segment[0].X:0.#}\" cy=\"{segment[0].Y:0.#}\" r=\"1.6\"/>");
            }
            else if (segment.Count > 1)
            {
                svg.Append("<polyline points=\"").AppendJoin(' ', segment.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.#},{p.Y:0.#}"))).Append("\"/>");
            }

            segment.Clear();
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not double v)
            {
                Flush();
                continue;
            }

            double t = span <= 0 ? 0.5 : Math.Clamp((v - min) / span, 0, 1);
            segment.Add((Pad + i * step, Height - Pad - t * (Height - 2 * Pad)));
        }

        Flush();
        // The last point marked: where the line ends is what the row's numbers say.
        int lastIndex = Array.FindLastIndex(values, v => v is not null);
        if (lastIndex >= 0)
        {
            double t = span <= 0 ? 0.5 : Math.Clamp((values[lastIndex]!.Value - min) / span, 0, 1);
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"end\" cx=\"{Pad + lastIndex * step:0.#}\" cy=\"{Height - Pad - t * (Height - 2 * Pad):0.#}\" r=\"2\"/>");
        }

        svg.Append("</svg>");
        return new MarkupString(svg.ToString());
    }
}
