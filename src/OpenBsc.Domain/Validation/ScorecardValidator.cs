using System.Text.RegularExpressions;
using OpenBsc.Domain.Formulas;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Validation;

/// <summary>
/// Checks a scorecard's meaning (references, scales, scoring parameters, formulas, cycles). Errors are
/// returned, never thrown; an empty list means the scorecard can be evaluated.
/// </summary>
public static partial class ScorecardValidator
{
    private static readonly HashSet<string> ScoringVariables = ["v", "b", "t", "mn", "mx"];

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>Validates one scorecard and its observations.</summary>
    public static IReadOnlyList<DefinitionError> Validate(ScorecardData data)
    {
        var errors = new List<DefinitionError>();
        var card = data.Scorecard;
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var measures = new Dictionary<string, Measure>(StringComparer.Ordinal);
        var objectives = new Dictionary<string, Objective>(StringComparer.Ordinal);

        void Id(string id, string path)
        {
            if (!IsValidId(id))
            {
                errors.Add(new(path, $"'{id}' is not a valid id: expected lowercase letters, digits and single '-' (e.g. cost-per-ticket)"));
            }
            else if (!ids.TryAdd(id, path))
            {
                errors.Add(new(path, $"duplicate id '{id}': already used at {ids[id]}; ids must be unique within the file"));
            }
        }

        Id(card.Id, "scorecard.id");
        if (card.Overachievement is < 1 or > 10 || double.IsNaN(card.Overachievement))
        {
            errors.Add(new("scorecard.overachievement", $"expected a score cap from 1.0 (no over-achievement) to 10, found {card.Overachievement}"));
        }

        CheckStatus(card.Status, "scorecard.status", errors);
        for (int i = 0; i < card.Segments.Count; i++)
        {
            Id(card.Segments[i].Id, $"scorecard.segments[{i}].id");
        }

        var segmentIds = card.Segments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        for (int p = 0; p < card.Perspectives.Count; p++)
        {
            var perspective = card.Perspectives[p];
            string path = $"scorecard.perspectives[{p}]";
            Id(perspective.Id, path + ".id");
            CheckWeight(perspective.Weight, path + ".weight", errors);
            if (perspective.Rollup == RollupMethod.Self)
            {
                errors.Add(new(path + ".rollup", "a perspective has no measure of its own: expected weighted, average, min or max"));
            }

            for (int o = 0; o < perspective.Objectives.Count; o++)
            {
                CheckObjective(perspective.Objectives[o], $"{path}.objectives[{o}]");
            }
        }

        void CheckObjective(Objective objective, string path)
        {
            Id(objective.Id, path + ".id");
            objectives.TryAdd(objective.Id, objective);
            CheckWeight(objective.Weight, path + ".weight", errors);
            if (objective.Rollup == RollupMethod.Self && objective.Measures.Count == 0)
            {
                errors.Add(new(path + ".rollup", "rollup 'self' takes the objective's own (first) measure, but it has no measures"));
            }

            for (int i = 0; i < objective.Objectives.Count; i++)
            {
                CheckObjective(objective.Objectives[i], $"{path}.objectives[{i}]");
            }

            for (int i = 0; i < objective.Measures.Count; i++)
            {
                var measure = objective.Measures[i];
                string mpath = $"{path}.measures[{i}]";
                Id(measure.Id, mpath + ".id");
                measures.TryAdd(measure.Id, measure);
                CheckMeasure(measure, mpath, segmentIds, errors);
            }
        }

        CheckFormulaReferences(card, measures, errors);

        string ObjectiveOrMeasure(string id) => objectives.ContainsKey(id) || measures.ContainsKey(id) ? id : string.Empty;
        for (int i = 0; i < card.Links.Count; i++)
        {
            var link = card.Links[i];
            string path = $"scorecard.links[{i}]";
            if (ObjectiveOrMeasure(link.From).Length == 0)
            {
                errors.Add(new(path + ".from", $"'{link.From}' is not an objective or measure of this scorecard"));
            }

            if (ObjectiveOrMeasure(link.To).Length == 0)
            {
                errors.Add(new(path + ".to", $"'{link.To}' is not an objective or measure of this scorecard"));
            }

            if (link.From == link.To)
            {
                errors.Add(new(path, $"a link from '{link.From}' to itself: expected two different objectives"));
            }
        }

        for (int i = 0; i < card.Tensions.Count; i++)
        {
            var tension = card.Tensions[i];
            string path = $"scorecard.tensions[{i}].between";
            foreach (string id in new[] { tension.First, tension.Second })
            {
                if (ObjectiveOrMeasure(id).Length == 0)
                {
                    errors.Add(new(path, $"'{id}' is not an objective or measure of this scorecard"));
                }
            }

            if (tension.First == tension.Second)
            {
                errors.Add(new(path, $"a tension between '{tension.First}' and itself: expected two different items"));
            }
        }

        for (int i = 0; i < card.Initiatives.Count; i++)
        {
            var initiative = card.Initiatives[i];
            string path = $"scorecard.initiatives[{i}]";
            Id(initiative.Id, path + ".id");
            foreach (string objective in initiative.Objectives.Where(o => !objectives.ContainsKey(o)))
            {
                errors.Add(new(path + ".objectives", $"'{objective}' is not an objective of this scorecard{Suggest(objective, objectives.Keys)}"));
            }

            for (int m = 0; m < initiative.Milestones.Count; m++)
            {
                var milestone = initiative.Milestones[m];
                string mpath = $"{path}.milestones[{m}]";
                if (string.IsNullOrWhiteSpace(milestone.Name))
                {
                    errors.Add(new(mpath + ".name", "expected the milestone's name"));
                }

                if (initiative.Start is { } from && milestone.Due < from)
                {
                    errors.Add(new(mpath + ".due", $"the milestone is due {milestone.Due:yyyy-MM-dd}, before the initiative starts ({from:yyyy-MM-dd}); expected a date from start to end"));
                }

                if (initiative.End is { } to && milestone.Due > to)
                {
                    errors.Add(new(mpath + ".due", $"the milestone is due {milestone.Due:yyyy-MM-dd}, after the initiative ends ({to:yyyy-MM-dd}); expected a date from start to end"));
                }
            }

            if (initiative.Start is { } start && initiative.End is { } end && end < start)
            {
                errors.Add(new(path + ".end", $"the end {end:yyyy-MM-dd} is before the start {start:yyyy-MM-dd}"));
            }

            if (initiative.Complete is < 0 or > 1)
            {
                errors.Add(new(path + ".complete", $"expected a fraction from 0 to 1, found {initiative.Complete}"));
            }

            if (initiative.Budget is < 0)
            {
                errors.Add(new(path + ".budget", $"expected a budget ≥ 0, found {initiative.Budget}"));
            }

            if (initiative.ActualCost is < 0)
            {
                errors.Add(new(path + ".actualCost", $"expected a cost ≥ 0, found {initiative.ActualCost}"));
            }
        }

        var initiativeIds = card.Initiatives.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < card.Risks.Count; i++)
        {
            var risk = card.Risks[i];
            string path = $"scorecard.risks[{i}]";
            Id(risk.Id, path + ".id");
            foreach (string objective in risk.Objectives.Where(o => !objectives.ContainsKey(o)))
            {
                errors.Add(new(path + ".objectives", $"'{objective}' is not an objective of this scorecard{Suggest(objective, objectives.Keys)}"));
            }

            foreach (string mitigation in risk.Mitigations.Where(m => !initiativeIds.Contains(m)))
            {
                errors.Add(new(path + ".mitigations", $"'{mitigation}' is not an initiative of this scorecard{Suggest(mitigation, initiativeIds)}; a mitigation names an initiative's id"));
            }

            CheckRating(risk.Inherent, path, errors);
            if (risk.Target is { } target)
            {
                CheckRating(target, path + ".target", errors);
            }

            if (risk.Residual is { } residual)
            {
                CheckRating(residual, path + ".residual", errors);
            }
        }

        for (int i = 0; i < card.Cascade.Count; i++)
        {
            var contribution = card.Cascade[i];
            string path = $"scorecard.cascade[{i}]";
            if (!objectives.ContainsKey(contribution.Objective))
            {
                errors.Add(new(path + ".objective", $"'{contribution.Objective}' is not an objective of this scorecard"));
            }

            if (contribution.SourceScorecard.Length == 0 || contribution.SourceItem.Length == 0)
            {
                errors.Add(new(path + ".from", $"'{contribution.From}' is not a cascade source: expected 'scorecard-id#item-id' or 'file.yaml#item-id'"));
            }

            CheckWeight(contribution.Weight, path + ".weight", errors);
        }

        for (int i = 0; i < data.Observations.Count; i++)
        {
            var observation = data.Observations[i];
            if (!measures.TryGetValue(observation.Measure, out var measure))
            {
                errors.Add(new($"observations[{i}].measure", $"'{observation.Measure}' is not a measure of this scorecard{Suggest(observation.Measure, measures.Keys)}"));
            }
            else if (measure.IsCalculated)
            {
                errors.Add(new($"observations[{i}].measure", $"'{observation.Measure}' is a calculated measure (formula {measure.Formula}); it takes no observations"));
            }
            else if (measure.IsSegmented && observation.Segment is null)
            {
                errors.Add(new($"observations[{i}].segment", $"'{observation.Measure}' is tracked per segment: expected a segment, one of {string.Join(", ", measure.Segments.Select(s => s.Segment))}"));
            }
            else if (observation.Segment is { } segment && !measure.Segments.Any(s => s.Segment == segment))
            {
                errors.Add(new($"observations[{i}].segment", measure.IsSegmented
                    ? $"'{segment}' is not a segment of measure '{measure.Id}'{Suggest(segment, measure.Segments.Select(s => s.Segment))}"
                    : $"'{measure.Id}' is not tracked per segment (it has no segments list); expected no segment"));
            }

            if (!double.IsFinite(observation.Value))
            {
                errors.Add(new($"observations[{i}].value", "expected a finite number"));
            }
        }

        // Commentary names the scorecard itself (by its id), a perspective, objective or measure; once per item and period.
        var items = new HashSet<string>(card.Perspectives.Select(p => p.Id).Concat(objectives.Keys).Concat(measures.Keys).Append(card.Id), StringComparer.Ordinal);
        var written = new HashSet<(string, Periods.Period)>();
        for (int i = 0; i < data.Commentary.Count; i++)
        {
            var note = data.Commentary[i];
            if (!items.Contains(note.Item))
            {
                errors.Add(new($"commentary[{i}].item", $"'{note.Item}' is not the scorecard, a perspective, objective or measure of this scorecard{Suggest(note.Item, items)}"));
            }
            else if (!written.Add((note.Item, note.Period)))
            {
                errors.Add(new($"commentary[{i}]", $"'{note.Item}' has commentary for {note.Period} more than once; expected one entry per item and period"));
            }
        }

        return errors;
    }

    /// <summary>
    /// Checks the cascade references of a bundle (bundle[0] the scorecard being evaluated, the rest its sources):
    /// every source scorecard and item exists, and no chain of contributions leads back to where it started.
    /// <paramref name="sourceAliases"/> maps other names of a source (e.g. a file name) to its scorecard id.
    /// </summary>
    public static IReadOnlyList<DefinitionError> ValidateCascade(IReadOnlyList<ScorecardData> bundle, IReadOnlyDictionary<string, string>? sourceAliases = null)
    {
        var errors = new List<DefinitionError>();
        var cards = new Dictionary<string, Scorecard>(StringComparer.Ordinal);
        foreach (var data in bundle)
        {
            cards.TryAdd(data.Scorecard.Id, data.Scorecard);
        }

        string Resolve(string name) => sourceAliases is not null && sourceAliases.TryGetValue(name, out var id) ? id : name;

        // Graph over "scorecard#item": an objective leads to its children and to the sources that cascade into it.
        var next = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var firstPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var card in cards.Values)
        {
            foreach (var objective in card.AllObjectives())
            {
                var list = next[$"{card.Id}#{objective.Id}"] = [];
                list.AddRange(objective.Objectives.Select(o => $"{card.Id}#{o.Id}"));
                list.AddRange(objective.Measures.Select(m => $"{card.Id}#{m.Id}"));
            }

            for (int i = 0; i < card.Cascade.Count; i++)
            {
                var contribution = card.Cascade[i];
                string path = card == bundle[0].Scorecard ? $"scorecard.cascade[{i}].from" : $"{card.Id}: scorecard.cascade[{i}].from";
                if (!cards.TryGetValue(Resolve(contribution.SourceScorecard), out var source))
                {
                    errors.Add(new(path, $"cascade source scorecard '{contribution.SourceScorecard}' was not found: expected a scorecard id of a file beside this one, or a file name"));
                    continue;
                }

                bool exists = source.AllObjectives().Any(o => o.Id == contribution.SourceItem) || source.AllMeasures().Any(m => m.Id == contribution.SourceItem);
                if (!exists)
                {
                    errors.Add(new(path, $"'{contribution.SourceItem}' is not an objective or measure of scorecard '{source.Id}'{Suggest(contribution.SourceItem, source.AllObjectives().Select(o => o.Id).Concat(source.AllMeasures().Select(m => m.Id)))}"));
                    continue;
                }

                string from = $"{card.Id}#{contribution.Objective}";
                if (next.TryGetValue(from, out var edges))
                {
                    string target = $"{source.Id}#{contribution.SourceItem}";
                    edges.Add(target);
                    firstPath.TryAdd(from, path);
                }
            }
        }

        foreach (var cycle in Cycles.Find(next.Keys, n => next.TryGetValue(n, out var list) ? list : []))
        {
            string at = cycle.Select(c => firstPath.GetValueOrDefault(c)).FirstOrDefault(p => p is not null) ?? "scorecard.cascade";
            errors.Add(new(at, $"cascade cycle: {string.Join(" → ", cycle)}; a scorecard cannot contribute to itself"));
        }

        return errors;
    }

    private static void CheckRating(RiskRating rating, string path, List<DefinitionError> errors)
    {
        if (!Risks.RiskMatrix.OnScale(rating.Likelihood))
        {
            errors.Add(new(path + ".likelihood", $"expected a likelihood from 1 (rare) to 5 (almost certain), found {rating.Likelihood}"));
        }

        if (!Risks.RiskMatrix.OnScale(rating.Impact))
        {
            errors.Add(new(path + ".impact", $"expected an impact from 1 (minor) to 5 (severe), found {rating.Impact}"));
        }
    }

    private static void CheckSegments(Measure measure, string path, HashSet<string> segmentIds, List<DefinitionError> errors)
    {
        if (!measure.IsSegmented)
        {
            return;
        }

        if (measure.IsCalculated)
        {
            errors.Add(new(path + ".segments", "a calculated measure cannot be tracked per segment: its value comes from its formula; expected no segments"));
        }

        if (measure.Segment is not null)
        {
            errors.Add(new(path + ".segment", "a measure tracked per segment (segments) does not also belong to one segment: expected segment or segments, not both"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < measure.Segments.Count; i++)
        {
            var series = measure.Segments[i];
            string spath = $"{path}.segments[{i}]";
            if (!segmentIds.Contains(series.Segment))
            {
                errors.Add(new(spath + ".segment", $"'{series.Segment}' is not a segment of this scorecard{Suggest(series.Segment, segmentIds)}"));
            }
            else if (!seen.Add(series.Segment))
            {
                errors.Add(new(spath + ".segment", $"segment '{series.Segment}' is listed twice: expected one series per segment"));
            }

            double? baseline = series.Baseline ?? measure.Baseline;
            if (baseline is { } b && (series.Target ?? measure.Target) is { } t && b == t)
            {
                errors.Add(new(spath + ".target", $"the target equals the baseline ({t}): progress (v − b) / (t − b) is undefined; expected different values"));
            }

            var periods = new HashSet<Periods.Period>();
            foreach (var target in series.Targets)
            {
                if (!periods.Add(target.Period))
                {
                    errors.Add(new($"{spath}.targets.{target.Period}", $"a second target for {target.Period}: expected one target per period"));
                }
            }

            CheckWeight(series.Weight, spath + ".weight", errors);
        }
    }

    private static void CheckMeasure(Measure measure, string path, HashSet<string> segmentIds, List<DefinitionError> errors)
    {
        CheckWeight(measure.Weight, path + ".weight", errors);
        if (measure.Baseline is { } b && measure.Target is { } t && b == t)
        {
            errors.Add(new(path + ".target", $"the target equals the baseline ({t}): progress (v − b) / (t − b) is undefined; expected different values"));
        }

        var targetPeriods = new HashSet<Periods.Period>();
        foreach (var target in measure.Targets)
        {
            if (!targetPeriods.Add(target.Period))
            {
                errors.Add(new($"{path}.targets.{target.Period}", $"a second target for {target.Period}: expected one target per period"));
            }
        }

        if (measure.Min is { } mn && measure.Max is { } mx && mn >= mx)
        {
            errors.Add(new(path + ".max", $"max ({mx}) must be greater than min ({mn})"));
        }

        if ((measure.Min is null) != (measure.Max is null))
        {
            errors.Add(new(path + (measure.Min is null ? ".min" : ".max"), "a performance scale needs both min and max"));
        }

        if (measure.Scale == Scale.Performance && (measure.Min is null || measure.Max is null))
        {
            errors.Add(new(path + ".scale", "scale 'performance' scores on min → max: expected min and max"));
        }

        if (measure.Start is { } start && measure.Due is { } due && due <= start)
        {
            errors.Add(new(path + ".due", $"the due date {due:yyyy-MM-dd} is not after the start {start:yyyy-MM-dd}"));
        }

        if ((measure.Start is not null || measure.Due is not null || measure.Milestones.Count > 0)
            && (measure.Start is null || measure.Due is null || measure.Baseline is null || measure.Target is null))
        {
            errors.Add(new(path + (measure.Start is null ? ".start" : ".due"), "expected progress needs start, due, baseline and target together"));
        }

        if (measure.Inherit is < 0)
        {
            errors.Add(new(path + ".inherit", "expected true, false or a number of periods ≥ 1"));
        }

        if (measure.Segment is { } segment && !segmentIds.Contains(segment))
        {
            errors.Add(new(path + ".segment", $"'{segment}' is not a segment of this scorecard{Suggest(segment, segmentIds)}"));
        }

        CheckSegments(measure, path, segmentIds, errors);
        if (measure.Status is { } status)
        {
            CheckStatus(status, path + ".status", errors);
        }

        var scoring = measure.Scoring;
        string spath = path + ".scoring";
        switch (scoring.Type)
        {
            case ScoringType.Thresholds:
                if (scoring.Goal is not { } goal || scoring.RedFlag is not { } red)
                {
                    errors.Add(new(spath, "thresholds scoring needs goal and redFlag"));
                }
                else if (goal == red)
                {
                    errors.Add(new(spath + ".redFlag", $"the red flag equals the goal ({goal}): expected different values (goal above the red flag when higher is better)"));
                }

                break;
            case ScoringType.Range:
                if (scoring.Low is not { } low || scoring.High is not { } high)
                {
                    errors.Add(new(spath, "range scoring needs low and high"));
                }
                else if (low > high)
                {
                    errors.Add(new(spath + ".high", $"high ({high}) is below low ({low})"));
                }

                if (scoring.Tolerance is < 0)
                {
                    errors.Add(new(spath + ".tolerance", $"expected a tolerance ≥ 0, found {scoring.Tolerance}"));
                }

                break;
            case ScoringType.Points:
                if (scoring.Points.Count == 0)
                {
                    errors.Add(new(spath + ".points", "points scoring needs at least one [value, score] point"));
                }

                for (int i = 1; i < scoring.Points.Count; i++)
                {
                    if (scoring.Points[i].Value <= scoring.Points[i - 1].Value)
                    {
                        errors.Add(new($"{spath}.points[{i}]", $"points must be sorted by value, strictly increasing: {scoring.Points[i].Value} follows {scoring.Points[i - 1].Value}"));
                    }
                }

                if (scoring.Points.Any(p => p.Score < 0))
                {
                    errors.Add(new(spath + ".points", "scores of points must be ≥ 0"));
                }

                break;
            case ScoringType.Formula:
                if (string.IsNullOrWhiteSpace(scoring.Expression))
                {
                    errors.Add(new(spath + ".expression", "formula scoring needs an expression over v, b, t, mn, mx"));
                }
                else if (!Formula.TryParse(scoring.Expression, out var formula, out var error))
                {
                    errors.Add(new(spath + ".expression", $"formula syntax error at {error}"));
                }
                else
                {
                    foreach (string name in formula.Parameters.Where(n => !ScoringVariables.Contains(n)))
                    {
                        errors.Add(new(spath + ".expression", $"unknown variable '{name}': a scoring formula may use v, b, t, mn and mx"));
                    }
                }

                break;
            case ScoringType.Linear or ScoringType.Ratio or ScoringType.Binary when measure.Direction == Direction.Range:
                errors.Add(new(path + ".direction", $"direction 'range' is scored by {{ type: range, low, high, tolerance }}, not by {scoring.Type.ToString().ToLowerInvariant()}"));
                break;
        }

        if (measure.Formula is { } text && !Formula.TryParse(text, out _, out var formulaError))
        {
            errors.Add(new(path + ".formula", $"formula syntax error at {formulaError}"));
        }
    }

    private static void CheckFormulaReferences(Scorecard card, Dictionary<string, Measure> measures, List<DefinitionError> errors)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (int p = 0; p < card.Perspectives.Count; p++)
        {
            Walk(card.Perspectives[p].Objectives, $"scorecard.perspectives[{p}]");
        }

        void Walk(IReadOnlyList<Objective> objectives, string parent)
        {
            for (int o = 0; o < objectives.Count; o++)
            {
                string path = $"{parent}.objectives[{o}]";
                Walk(objectives[o].Objectives, path);
                for (int m = 0; m < objectives[o].Measures.Count; m++)
                {
                    var measure = objectives[o].Measures[m];
                    if (measure.Formula is null || !Formula.TryParse(measure.Formula, out var formula, out _))
                    {
                        continue;
                    }

                    string mpath = $"{path}.measures[{m}].formula";
                    paths.TryAdd(measure.Id, mpath);
                    inputs.TryAdd(measure.Id, formula.Parameters);
                    foreach (string input in formula.Parameters.Where(i => !measures.ContainsKey(i)))
                    {
                        errors.Add(new(mpath, $"[{input}] is not a measure of this scorecard{Suggest(input, measures.Keys)}"));
                    }
                }
            }
        }

        foreach (var cycle in Cycles.Find(inputs.Keys, id => inputs.TryGetValue(id, out var list) ? list : []))
        {
            errors.Add(new(paths[cycle[0]], $"formula cycle: {string.Join(" → ", cycle)}; a calculated measure cannot depend on itself"));
        }
    }

    private static void CheckWeight(Weight weight, string path, List<DefinitionError> errors)
    {
        if (weight.Base < 0 || !double.IsFinite(weight.Base))
        {
            errors.Add(new(path, $"expected a weight ≥ 0, found {weight.Base}"));
        }

        for (int i = 0; i < weight.Changes.Count; i++)
        {
            if (weight.Changes[i].Value < 0 || !double.IsFinite(weight.Changes[i].Value))
            {
                errors.Add(new($"{path}[{i}].value", $"expected a weight ≥ 0, found {weight.Changes[i].Value}"));
            }
        }
    }

    private static void CheckStatus(StatusRuleSet rules, string path, List<DefinitionError> errors)
    {
        if (rules.Rules.Count == 0)
        {
            errors.Add(new(path, "expected at least one status rule, e.g. { status: Red } as the otherwise rule"));
        }

        for (int i = 0; i < rules.Rules.Count; i++)
        {
            if (rules.Rules[i].Status == Status.Gray)
            {
                errors.Add(new($"{path}[{i}].status", "Gray is reserved for 'no data': expected Green, Yellow or Red"));
            }

            if (rules.Rules[i].When is null && i < rules.Rules.Count - 1)
            {
                errors.Add(new($"{path}[{i + 1}]", "this rule is never reached: the rule before it has no 'when' (otherwise) and must come last"));
            }
        }
    }

    /// <summary>" (did you mean 'x'?)" for the closest candidate within edit distance 2, else empty.</summary>
    internal static string Suggest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (string candidate in candidates)
        {
            int distance = EditDistance(given, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is null ? string.Empty : $" (did you mean '{best}'?)";
    }

    /// <summary>Levenshtein distance: the fewest single-character edits that turn <paramref name="a"/> into <paramref name="b"/> (for did-you-mean suggestions).</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
