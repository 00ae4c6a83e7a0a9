using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Domain.Editing;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Web.Components.Pages.Design;

/// <summary>A problem with one field of a designer form (empty field = the form as a whole).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// Turns designer forms into scorecard items. A form speaks the scorecard file's own field names, so it is read by
/// the file's reader and checked by the file's validator: the designer gives the same rules and messages as the
/// file, field by field.
/// </summary>
public static class DesignForms
{
    /// <summary>Measure form fields that hold numbers (written into the fragment as numbers when they parse).</summary>
    private static readonly HashSet<string> NumberFields = new(StringComparer.Ordinal)
    {
        "baseline", "target", "min", "max", "weight", "inherit", "scoring.goal", "scoring.redFlag", "scoring.low", "scoring.high", "scoring.tolerance",
    };

    /// <summary>The measure editor's labels of the fields whose errors name them.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["baseline"] = "Baseline", ["target"] = "Target", ["targets"] = "Targets by period", ["min"] = "Min", ["max"] = "Max", ["weight"] = "Weight",
        ["scoring.goal"] = "Goal", ["scoring.redFlag"] = "Red flag", ["scoring.low"] = "Low", ["scoring.high"] = "High",
        ["scoring.tolerance"] = "Tolerance", ["scoring.points"] = "Points",
    };

    /// <summary>
    /// Every field the measure form edits; fields of the measure not listed (status rules, milestones, segments) are
    /// kept as they are, and so is its id (observations, formulas and links refer to it).
    /// </summary>
    public static readonly string[] MeasureFields =
    [
        "name", "description", "unit", "direction", "frequency", "aggregation", "baseline", "target", "targets", "min", "max",
        "scoring.type", "scoring.goal", "scoring.redFlag", "scoring.low", "scoring.high", "scoring.tolerance", "scoring.points", "scoring.expression",
        "scale", "weight", "formula", "formulaAggregation", "missingInputs", "inherit", "concern", "outcome", "valueProposition", "segment",
        "owner", "leading", "start", "due",
    ];

    /// <summary>
    /// The measure the form describes, starting from <paramref name="existing"/> (null for a new one), and the scorecard
    /// with it in place; or the errors by form field. <paramref name="field"/> reads a posted field ("" when absent).
    /// </summary>
    public static (Measure? Measure, Scorecard? Card, IReadOnlyList<FieldError> Errors) ReadMeasure(Func<string, string?> field, Scorecard card, Measure existing)
    {
        var fragment = ScorecardFragments.ToJson(existing);
        var scoring = fragment["scoring"] as JsonObject ?? new JsonObject { ["type"] = "linear" };
        fragment.Remove("scoring");
        var errors = new List<FieldError>();
        // Numbers are typed as the organisation writes them (12,5 or 12.5); the fragment, like the file, is invariant.
        var format = OrganisationFormat.Current;
        foreach (string name in MeasureFields)
        {
            string? posted = field(name);
            if (posted is null)
            {
                continue; // not on the form: keep what the measure has
            }

            posted = posted.Trim();
            var target = name.StartsWith("scoring.", StringComparison.Ordinal) ? scoring : fragment;
            string key = name.StartsWith("scoring.", StringComparison.Ordinal) ? name["scoring.".Length..] : name;
            target.Remove(key);
            if (posted.Length == 0)
            {
                continue;
            }

            switch (name)
            {
                case "targets":
                    if (Pairs(posted, "targets", $"a period and a value per line, such as 2026-Q2: {format.Typed(9.5)}", format, errors) is { } targets)
                    {
                        var map = new JsonObject();
                        foreach (var (left, _, right) in targets)
                        {
                            map[left] = right;
                        }

                        target[key] = map;
                    }

                    break;
                case "scoring.points":
                    if (Pairs(posted, name, $"a value and a score per line, such as 20: {format.Typed(0.5)}", format, errors) is { } points)
                    {
                        target[key] = new JsonArray([.. points.Select(p => (JsonNode)new JsonArray(p.LeftNumber, p.Right))]);
                    }

                    break;
                case "leading":
                    target[key] = posted == "true";
                    break;
                case "inherit" when posted is "true" or "false":
                    target[key] = posted == "true";
                    break;
                case var _ when NumberFields.Contains(name) && name != "inherit":
                    if (format.TryRead(posted, out double number))
                    {
                        target[key] = number;
                    }
                    else
                    {
                        errors.Add(new FieldError(name, $"{Labels[name]}: '{posted}' is not a number. Enter a number {format.TypedExample}."));
                    }

                    break;
                case "inherit":
                    // How many periods a value is carried forward: a whole count, the same in every format.
                    target[key] = int.TryParse(posted, NumberStyles.Integer, CultureInfo.InvariantCulture, out int periods) ? periods : posted;
                    break;
                default:
                    target[key] = posted;
                    break;
            }
        }

        // Only the parameters of the chosen scoring type: the file rejects the others, and a form shows them all.
        if (scoring["type"]?.GetValue<string>() is { } type)
        {
            var applicable = Application.Features.ScorecardFiles.ScorecardFileSpellings.ScoringFields(type);
            foreach (string key in scoring.Select(p => p.Key).ToList())
            {
                if (key != "type" && !applicable.Contains(key))
                {
                    scoring.Remove(key);
                }
            }
        }

        if (!(scoring.Count == 1 && scoring["type"]?.GetValue<string>() == "linear"))
        {
            fragment["scoring"] = scoring;
        }

        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        var read = ScorecardFragments.ReadMeasure(fragment);
        if (!read.IsValid)
        {
            return (null, null, [.. read.Errors.Select(e => new FieldError(FormField(e.Path), Plain(e.Message)))]);
        }

        var measure = read.Item!;
        var edit = ScorecardEdits.UpdateMeasure(card, existing.Id, measure);
        if (!edit.Succeeded)
        {
            return (null, null, [new FieldError("", edit.Missing!)]);
        }

        var changed = edit.Scorecard!;
        string? prefix = PathOf(changed, measure.Id);
        var problems = ScorecardValidator.Validate(new ScorecardData(changed, []))
            .Select(e => prefix is not null && (e.Path == prefix || e.Path.StartsWith(prefix + ".", StringComparison.Ordinal))
                ? new FieldError(FormField(e.Path == prefix ? "" : e.Path[(prefix.Length + 1)..]), e.Message)
                : new FieldError("", e.ToString()))
            .ToList();
        return problems.Count > 0 ? (null, null, problems) : (measure, changed, []);
    }

    /// <summary>
    /// A file reader's message as a form says it: what to enter, without the reader's account of what it found
    /// ("expected a number, found the quoted text 'abc'" → "Enter a number.").
    /// </summary>
    public static string Plain(string message)
    {
        int found = message.IndexOf(", found ", StringComparison.Ordinal);
        string text = found > 0 ? message[..found] : message;
        if (text.StartsWith("expected ", StringComparison.Ordinal))
        {
            text = "Enter " + text["expected ".Length..];
        }

        return text.Length > 0 && char.IsLower(text[0]) ? char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? "" : ".") : text;
    }

    /// <summary>The form field an error path inside a measure belongs to (<c>targets.2026-Q2</c> → <c>targets</c>).</summary>
    public static string FormField(string path)
    {
        if (path.StartsWith("scoring.", StringComparison.Ordinal))
        {
            string rest = path["scoring.".Length..];
            int cut = rest.IndexOfAny(['.', '[']);
            return "scoring." + (cut < 0 ? rest : rest[..cut]);
        }

        int end = path.IndexOfAny(['.', '[']);
        string first = end < 0 ? path : path[..end];
        return MeasureFields.Contains(first) ? first : first == "scoring" ? "scoring.type" : "";
    }

    /// <summary>The validator's path of a measure (<c>scorecard.perspectives[0].objectives[1].measures[2]</c>).</summary>
    public static string? PathOf(Scorecard card, string measureId)
    {
        for (int p = 0; p < card.Perspectives.Count; p++)
        {
            if (Find(card.Perspectives[p].Objectives, $"scorecard.perspectives[{p}]", measureId) is { } path)
            {
                return path;
            }
        }

        return null;

        static string? Find(IReadOnlyList<Objective> objectives, string parent, string id)
        {
            for (int o = 0; o < objectives.Count; o++)
            {
                string path = $"{parent}.objectives[{o}]";
                for (int m = 0; m < objectives[o].Measures.Count; m++)
                {
                    if (objectives[o].Measures[m].Id == id)
                    {
                        return $"{path}.measures[{m}]";
                    }
                }

                if (Find(objectives[o].Objectives, path, id) is { } nested)
                {
                    return nested;
                }
            }

            return null;
        }
    }

    /// <summary>A form value for a measure field, as the form shows it.</summary>
    public static string Value(Measure measure, string field)
    {
        var json = ScorecardFragments.ToJson(measure);
        if (field == "targets")
        {
            return string.Join("\n", measure.Targets.Select(t => $"{t.Period}: {Number(t.Value)}"));
        }

        if (field == "scoring.points")
        {
            return string.Join("\n", measure.Scoring.Points.Select(p => $"{Number(p.Value)}: {Number(p.Score)}"));
        }

        var node = field.StartsWith("scoring.", StringComparison.Ordinal) ? json["scoring"]?[field["scoring.".Length..]] : json[field];
        return field switch
        {
            "scoring.type" => node?.GetValue<string>() ?? "linear",
            "weight" when !measure.Weight.IsConstant => Number(measure.Weight.Base),
            "inherit" => measure.Inherit switch { null => "", 0 => "true", int n => n.ToString(CultureInfo.InvariantCulture) },
            _ => node switch
            {
                null => "",
                JsonValue v when v.TryGetValue(out double d) => Number(d),
                JsonValue v when v.TryGetValue(out bool b) => b ? "true" : "false",
                JsonValue v => v.ToString(),
                _ => node.ToJsonString(),
            },
        };
    }

    /// <summary>A number as the organisation types it (12,5 or 12.5, every digit kept), as a field shows it to be typed back.</summary>
    public static string Number(double value) => OrganisationFormat.Current.Typed(value);

    /// <summary>An id made from a name: lowercase letters, digits and '-', unique among <paramref name="taken"/>.</summary>
    public static string IdFrom(string name, IEnumerable<string> taken)
    {
        var builder = new StringBuilder();
        foreach (char c in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                builder.Append(c);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        string id = builder.ToString().Trim('-');
        if (id.Length == 0)
        {
            id = "item";
        }

        if (id.Length > 60)
        {
            id = id[..60].TrimEnd('-');
        }

        var used = taken.ToHashSet(StringComparer.Ordinal);
        string candidate = id;
        for (int n = 2; used.Contains(candidate); n++)
        {
            candidate = $"{id}-{n}";
        }

        return candidate;
    }

    /// <summary>Every id in use in a scorecard (perspectives, objectives, measures, initiatives): a new item's id must differ.</summary>
    public static IEnumerable<string> Ids(Scorecard card) =>
        card.Perspectives.Select(p => p.Id)
            .Concat(card.AllObjectives().Select(o => o.Id))
            .Concat(card.AllMeasures().Select(m => m.Id))
            .Concat(card.Initiatives.Select(i => i.Id))
            .Concat(card.Risks.Select(r => r.Id));

    /// <summary>Lines of "left: number" (or "left = number") in the organisation's format; errors name the field and the line.</summary>
    private static List<(string Left, double LeftNumber, double Right)>? Pairs(string text, string field, string expected, OrganisationFormat format, List<FieldError> errors)
    {
        var pairs = new List<(string, double, double)>();
        string[] lines = text.Split('\n');
        bool ok = true;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            int cut = line.IndexOfAny([':', '=']);
            double left = 0;
            if (cut <= 0 || !format.TryRead(line[(cut + 1)..], out double right)
                || (field == "scoring.points" && !format.TryRead(line[..cut], out left)))
            {
                errors.Add(new FieldError(field, $"{Labels[field]}, line {i + 1} '{line}': enter {expected}."));
                ok = false;
                continue;
            }

            pairs.Add((line[..cut].Trim(), left, right));
        }

        return ok ? pairs : null;
    }
}
