using System.Globalization;
using System.Text.RegularExpressions;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using static OpenBsc.Application.Features.ScorecardFiles.ScorecardFileSchema;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>
/// Maps a <see cref="FileNode"/> tree to <see cref="ScorecardData"/> as docs/scorecard-file.md describes, collecting
/// every error rather than stopping at the first, and the position of every path it visits so that errors
/// found later (by the domain validator) can be given lines too.
/// </summary>
/// <remarks>
/// Paths look like <c>scorecard.perspectives[1].objectives[0].measures[2].target</c>; a period key of
/// <c>targets</c> is a plain segment: <c>...measures[0].targets.2026-Q2</c>. Only parse-level problems are
/// checked here (unknown fields, types, required fields, spellings, periods, dates, ids); meaning (duplicate
/// ids, references, cycles, formulas) is the domain validator's.
/// </remarks>
// positions: false for stored definitions, which never need errors located for the validator.
internal sealed partial class ScorecardFileMapper(string file, bool positions = true)
{
    private readonly List<FileError> _errors = [];
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

    public IReadOnlyList<FileError> Errors => _errors;

    public IReadOnlyDictionary<string, (int Line, int Column)> Positions => _positions;

    /// <summary>The scorecard and observations, or null when any error was found.</summary>
    public ScorecardData? Map(FileNode root)
    {
        Remember(string.Empty, root);
        NoNulCharacters(root, string.Empty);
        if (Open(root, string.Empty, "a scorecard file", TopFields) is not { } top)
        {
            return null;
        }

        Version(top);
        string? organisation = Text(top, "organisation");
        var scorecard = Required(top, "scorecard") is { } node ? Scorecard(node, top.PathOf("scorecard"), organisation) : null;
        var observations = List(top, "observations", Observation);
        var commentary = List(top, "commentary", Commentary);
        return _errors.Count == 0 && scorecard is not null ? new ScorecardData(scorecard, observations) { Commentary = commentary } : null;
    }

    private void Version(Fields top)
    {
        if (top.Get("openbsc") is not { } node)
        {
            Error(top.Node, "openbsc", "missing required field 'openbsc' (the format version); expected openbsc: 1");
            return;
        }

        int? version = Whole(node, "openbsc", "the format version 1");
        if (version is not null && version != ScorecardFileSchema.Version)
        {
            Error(node, "openbsc", $"unsupported format version {version}; expected openbsc: {ScorecardFileSchema.Version}");
        }
    }

    private Scorecard? Scorecard(FileNode node, string path, string? organisation)
    {
        if (Open(node, path, "a scorecard", ScorecardFields) is not { } f)
        {
            return null;
        }

        return new Scorecard
        {
            Id = Id(f),
            Name = RequiredText(f, "name"),
            Organisation = organisation,
            Mission = Text(f, "mission"),
            Vision = Text(f, "vision"),
            Values = List(f, "values", Text),
            Calendar = f.Get("calendar") is { } calendar ? Calendar(calendar, f.PathOf("calendar")) : FiscalCalendar.Gregorian,
            Missing = Choice(f, "missing", MissingPolicies) ?? MissingDataPolicy.Ignore,
            PartialPeriods = Choice(f, "partialPeriods", PartialPeriodPolicies) ?? PartialPeriods.ToDate,
            Overachievement = Number(f, "overachievement") ?? 1.0,
            Status = f.Get("status") is { } status ? StatusRules(status, f.PathOf("status")) : StatusRuleSet.Default,
            Rollup = Choice(f, "rollup", Rollups) ?? RollupMethod.Weighted,
            Segments = List(f, "segments", Segment),
            Perspectives = List(f, "perspectives", Perspective),
            Links = List(f, "links", Link),
            Tensions = List(f, "tensions", Tension),
            Initiatives = List(f, "initiatives", Initiative),
            Risks = List(f, "risks", Risk),
            Cascade = List(f, "cascade", Cascade),
        };
    }

    private FiscalCalendar Calendar(FileNode node, string path)
    {
        if (Open(node, path, "a calendar such as { fiscalYearStart: 4 }", CalendarFields) is not { } f)
        {
            return FiscalCalendar.Gregorian;
        }

        int start = 1;
        if (f.Get("fiscalYearStart") is { } month && Whole(month, f.PathOf("fiscalYearStart"), "a month 1..12") is { } m)
        {
            if (m is >= 1 and <= 12)
            {
                start = m;
            }
            else
            {
                Error(month, f.PathOf("fiscalYearStart"), $"expected a month 1..12, found {m}");
            }
        }

        bool namedByStart = Choice(f, "fiscalYearNamedBy", FiscalYearNames) == FiscalYearName.Start;
        return new FiscalCalendar(start, namedByStart);
    }

    private StatusRuleSet StatusRules(FileNode node, string path) => new(List(node, path, StatusRule));

    private StatusRule? StatusRule(FileNode node, string path)
    {
        if (Open(node, path, "a status rule such as { status: Green, when: \"score >= 0.9\" }", StatusRuleFields) is not { } f)
        {
            return null;
        }

        var status = RequiredChoice(f, "status", Statuses) ?? Status.Gray;
        var when = f.Get("when") is { } condition ? Condition(condition, f.PathOf("when")) : null;
        return new StatusRule(status, when);
    }

    private StatusCondition? Condition(FileNode node, string path)
    {
        if (Text(node, path) is not { } text)
        {
            return null;
        }

        var match = ConditionPattern().Match(text);
        if (!match.Success)
        {
            Error(node, path, $"'{text}' is not a status condition: expected '<variable> <operator> <number>' such as 'score >= 0.9', "
                + $"with a variable out of {StatusVariables.Expected} and an operator out of >=, >, <=, <, ==");
            return null;
        }

        string variableText = match.Groups["variable"].Value;
        string numberText = match.Groups["number"].Value;
        if (!StatusVariables.TryParse(variableText, out var variable))
        {
            Error(node, path, $"'{variableText}' is not a {StatusVariables.What}; expected one of: {StatusVariables.Expected}");
            return null;
        }

        if (!TryNumber(numberText, out double number))
        {
            Error(node, path, $"'{numberText}' in '{text}' is not a number");
            return null;
        }

        var comparison = match.Groups["operator"].Value switch
        {
            ">=" => Comparison.GreaterOrEqual,
            ">" => Comparison.Greater,
            "<=" => Comparison.LessOrEqual,
            "<" => Comparison.Less,
            _ => Comparison.Equal,
        };
        return new StatusCondition(variable, comparison, number);
    }

    [GeneratedRegex(@"^\s*(?<variable>[A-Za-z]+)\s*(?<operator>>=|<=|==|>|<)\s*(?<number>\S+)\s*$")]
    private static partial Regex ConditionPattern();

    private Segment? Segment(FileNode node, string path)
    {
        if (Open(node, path, "a segment", SegmentFields) is not { } f)
        {
            return null;
        }

        return new Segment(Id(f), RequiredText(f, "name"), RequiredChoice(f, "kind", SegmentKinds) ?? SegmentKind.Customer, Text(f, "description"));
    }

    private Perspective? Perspective(FileNode node, string path)
    {
        if (Open(node, path, "a perspective", PerspectiveFields) is not { } f)
        {
            return null;
        }

        return new Perspective
        {
            Id = Id(f),
            Name = RequiredText(f, "name"),
            Description = Text(f, "description"),
            Weight = Weight(f),
            Rollup = Choice(f, "rollup", Rollups) ?? RollupMethod.Weighted,
            Objectives = List(f, "objectives", Objective),
        };
    }

    private Objective? Objective(FileNode node, string path)
    {
        if (Open(node, path, "an objective", ObjectiveFields) is not { } f)
        {
            return null;
        }

        return new Objective
        {
            Id = Id(f),
            Name = RequiredText(f, "name"),
            Description = Text(f, "description"),
            Owner = Text(f, "owner"),
            Weight = Weight(f),
            Rollup = Choice(f, "rollup", Rollups) ?? RollupMethod.Weighted,
            Objectives = List(f, "objectives", Objective),
            Measures = List(f, "measures", Measure),
        };
    }

    private Measure? Measure(FileNode node, string path)
    {
        if (Open(node, path, "a measure", MeasureFields) is not { } f)
        {
            return null;
        }

        return new Measure
        {
            Id = Id(f),
            Name = RequiredText(f, "name"),
            Description = Text(f, "description"),
            Unit = Text(f, "unit"),
            Direction = Choice(f, "direction", Directions) ?? Direction.Increase,
            Frequency = Choice(f, "frequency", Frequencies) ?? PeriodKind.Month,
            Aggregation = Choice(f, "aggregation", Aggregations) ?? Aggregation.Sum,
            Formula = Text(f, "formula"),
            FormulaAggregation = Choice(f, "formulaAggregation", FormulaAggregations) ?? FormulaAggregation.AggregateInputs,
            MissingInputs = Choice(f, "missingInputs", MissingInputsPolicies) ?? MissingInputs.Blank,
            Baseline = Number(f, "baseline"),
            Target = Number(f, "target"),
            Targets = f.Get("targets") is { } targets ? Targets(targets, f.PathOf("targets")) : [],
            Min = Number(f, "min"),
            Max = Number(f, "max"),
            Scoring = f.Get("scoring") is { } scoring ? Scoring(scoring, f.PathOf("scoring")) : ScoringRule.Linear,
            Scale = Choice(f, "scale", Scales) ?? Scale.Progress,
            Weight = Weight(f),
            Status = f.Get("status") is { } status ? StatusRules(status, f.PathOf("status")) : null,
            Inherit = f.Get("inherit") is { } inherit ? Inherit(inherit, f.PathOf("inherit")) : null,
            Concern = Choice(f, "concern", Concerns),
            Outcome = Choice(f, "outcome", Outcomes),
            ValueProposition = Choice(f, "valueProposition", ValuePropositions),
            Segment = Text(f, "segment"),
            Segments = List(f, "segments", SegmentSeries),
            Owner = Text(f, "owner"),
            Leading = Bool(f, "leading"),
            Start = Date(f, "start"),
            Due = Date(f, "due"),
            Milestones = f.Get("milestones") is { } milestones ? Milestones(milestones, f.PathOf("milestones")) : [],
        };
    }

    private SegmentSeries? SegmentSeries(FileNode node, string path)
    {
        if (Open(node, path, "a segment series such as { segment: retail, target: 9 }", SegmentSeriesFields) is not { } f)
        {
            return null;
        }

        return new SegmentSeries
        {
            Segment = RequiredText(f, "segment"),
            Baseline = Number(f, "baseline"),
            Target = Number(f, "target"),
            Targets = f.Get("targets") is { } targets ? Targets(targets, f.PathOf("targets")) : [],
            Weight = Weight(f),
        };
    }

    private List<Milestone> Milestones(FileNode node, string path)
    {
        var list = new List<Milestone>();
        if (node is not FileSequence sequence)
        {
            Error(node, path, $"expected a list of milestones such as [{{ date: 2026-06-30, value: 20 }}], found {Describe(node)}");
            return list;
        }

        for (int i = 0; i < sequence.Items.Count; i++)
        {
            string itemPath = $"{path}[{i}]";
            if (Open(sequence.Items[i], itemPath, "a milestone such as { date: 2026-06-30, value: 20 }", MilestoneFields) is { } f
                && RequiredDate(f, "date") is { } date && RequiredNumber(f, "value") is { } value)
            {
                list.Add(new Milestone(date, value));
            }
        }

        return list;
    }

    private List<PeriodTarget> Targets(FileNode node, string path)
    {
        var targets = new List<PeriodTarget>();
        if (node is not FileMapping mapping)
        {
            Error(node, path, $"expected targets by period such as {{ \"2026-01\": 10, \"2026-Q2\": 9.5 }}, found {Describe(node)}");
            return targets;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in mapping.Fields)
        {
            string targetPath = Join(path, field.Key);
            Remember(targetPath, field.Value);
            if (!seen.Add(field.Key))
            {
                Error(field.Line, field.Column, targetPath, $"period '{field.Key}' is given more than once");
                continue;
            }

            bool isPeriod = Period.TryParse(field.Key, out var period);
            if (!isPeriod)
            {
                Error(field.Line, field.Column, targetPath, $"'{field.Key}' is not a period: expected {Period.AcceptedForms}");
            }

            if (Number(field.Value, targetPath) is { } value && isPeriod)
            {
                targets.Add(new PeriodTarget(period, value));
            }
        }

        return targets;
    }

    private int? Inherit(FileNode node, string path)
    {
        const string Expected = "true (carry the last value forward without limit), false, or a whole number of periods (1 or more)";
        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Boolean } scalar)
        {
            if (string.Equals(scalar.Text, "true", StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            if (string.Equals(scalar.Text, "false", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Number } number && TryNumber(number.Text, out double periods)
            && periods >= 1 && periods <= int.MaxValue && Math.Floor(periods) == periods)
        {
            return (int)periods;
        }

        Error(node, path, $"expected {Expected}, found {Describe(node)}");
        return null;
    }

    private ScoringRule Scoring(FileNode node, string path)
    {
        if (Open(node, path, "a scoring rule such as { type: linear }", ScoringFields) is not { } f
            || RequiredChoice(f, "type", ScoringTypes) is not { } type)
        {
            return ScoringRule.Linear;
        }

        // The file lists every scoring field; which ones apply depends on the type.
        string[] applicable = ScoringFieldsOf(type);
        foreach (var field in f.Node.Fields)
        {
            if (ScoringFields.Contains(field.Key) && !applicable.Contains(field.Key))
            {
                Error(field.Line, field.Column, f.PathOf(field.Key),
                    $"field '{field.Key}' does not apply to scoring type '{ScoringTypes.Name(type)}'; its fields are: {string.Join(", ", applicable)}");
            }
        }

        return type switch
        {
            ScoringType.Thresholds => new ScoringRule { Type = type, Goal = RequiredNumber(f, "goal"), RedFlag = RequiredNumber(f, "redFlag") },
            ScoringType.Range => new ScoringRule
            {
                Type = type,
                Low = RequiredNumber(f, "low"),
                High = RequiredNumber(f, "high"),
                Tolerance = Number(f, "tolerance"),
            },
            ScoringType.Points => new ScoringRule { Type = type, Points = Required(f, "points") is { } points ? Points(points, f.PathOf("points")) : [] },
            ScoringType.Formula => new ScoringRule { Type = type, Expression = RequiredText(f, "expression") },
            _ => new ScoringRule { Type = type },
        };
    }

    private List<ScorePoint> Points(FileNode node, string path)
    {
        var points = new List<ScorePoint>();
        foreach (var (item, itemPath) in Items(node, path))
        {
            if (item is not FileSequence { Items.Count: 2 } pair)
            {
                Error(item, itemPath, $"expected a point [value, score] such as [20, 1.0], found {Describe(item)}");
                continue;
            }

            Remember(itemPath + "[0]", pair.Items[0]);
            Remember(itemPath + "[1]", pair.Items[1]);
            var value = Number(pair.Items[0], itemPath + "[0]");
            var score = Number(pair.Items[1], itemPath + "[1]");
            if (value is not null && score is not null)
            {
                points.Add(new ScorePoint(value.Value, score.Value));
            }
        }

        return points;
    }

    private Weight Weight(Fields f) => f.Get("weight") is { } node ? Weight(node, f.PathOf("weight")) : Domain.Scorecards.Weight.One;

    private Weight Weight(FileNode node, string path)
    {
        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Number } scalar && TryNumber(scalar.Text, out double constant))
        {
            return new Weight(constant);
        }

        if (node is not FileSequence)
        {
            Error(node, path, $"expected a weight: a number, or a list such as [{{ from: 2026-07-01, value: 2 }}], found {Describe(node)}");
            return Domain.Scorecards.Weight.One;
        }

        var changes = new List<WeightChange>();
        foreach (var (item, itemPath) in Items(node, path))
        {
            if (Open(item, itemPath, "a weight change such as { from: 2026-07-01, value: 2 }", WeightChangeFields) is { } f
                && RequiredDate(f, "from") is { } from && RequiredNumber(f, "value") is { } value)
            {
                changes.Add(new WeightChange(from, value));
            }
        }

        return new Weight(changes);
    }

    private CauseEffectLink? Link(FileNode node, string path) =>
        Open(node, path, "a link such as { from: a, to: b }", LinkFields) is { } f
            ? new CauseEffectLink(RequiredText(f, "from"), RequiredText(f, "to"), Text(f, "note"))
            : null;

    private Tension? Tension(FileNode node, string path)
    {
        if (Open(node, path, "a tension such as { between: [a, b], note: ... }", TensionFields) is not { } f)
        {
            return null;
        }

        string first = string.Empty, second = string.Empty;
        if (Required(f, "between") is { } between)
        {
            var ids = List(between, f.PathOf("between"), Text);
            if (between is FileSequence { Items.Count: not 2 } sequence)
            {
                Error(between, f.PathOf("between"), $"expected exactly two ids [first, second], found {sequence.Items.Count}");
            }
            else if (ids.Count == 2)
            {
                (first, second) = (ids[0], ids[1]);
            }
        }

        return new Tension(first, second, Text(f, "note"));
    }

    private Initiative? Initiative(FileNode node, string path)
    {
        if (Open(node, path, "an initiative", InitiativeFields) is not { } f)
        {
            return null;
        }

        return new Initiative
        {
            Id = Id(f),
            Name = RequiredText(f, "name"),
            Description = Text(f, "description"),
            Objectives = List(f, "objectives", Text),
            Owner = Text(f, "owner"),
            Start = Date(f, "start"),
            End = Date(f, "end"),
            Budget = Number(f, "budget"),
            ActualCost = Number(f, "actualCost"),
            Complete = Number(f, "complete"),
            Milestones = List(f, "milestones", InitiativeMilestone),
        };
    }

    private InitiativeMilestone? InitiativeMilestone(FileNode node, string path)
    {
        if (Open(node, path, "a milestone such as { name: Pilot live, due: 2026-03-31, done: true }", InitiativeMilestoneFields) is not { } f)
        {
            return null;
        }

        string name = RequiredText(f, "name");
        var due = RequiredDate(f, "due");
        var (done, doneOn) = f.Get("done") is { } node2 ? Done(node2, f.PathOf("done")) : (false, null);
        return due is { } d ? new InitiativeMilestone(name, d, done, doneOn) : null;
    }

    /// <summary><c>done: true</c>, <c>false</c>, or the date it was done (which means true).</summary>
    private (bool Done, DateOnly? On) Done(FileNode node, string path)
    {
        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Boolean } scalar
            && (string.Equals(scalar.Text, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(scalar.Text, "false", StringComparison.OrdinalIgnoreCase)))
        {
            return (string.Equals(scalar.Text, "true", StringComparison.OrdinalIgnoreCase), null);
        }

        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Quoted } text
            && DateOnly.TryParseExact(text.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (true, date);
        }

        Error(node, path, $"expected true, false or the date it was done (yyyy-MM-dd, such as 2026-03-28), found {Describe(node)}");
        return (false, null);
    }

    private Risk? Risk(FileNode node, string path)
    {
        if (Open(node, path, "a risk", RiskFields) is not { } f)
        {
            return null;
        }

        return new Risk
        {
            Id = Id(f),
            Name = RequiredText(f, "name"),
            Description = Text(f, "description"),
            Objectives = List(f, "objectives", Text),
            Owner = Text(f, "owner"),
            Inherent = new RiskRating(RequiredScale(f, "likelihood") ?? 0, RequiredScale(f, "impact") ?? 0),
            Target = f.Get("target") is { } target ? Rating(target, f.PathOf("target")) : null,
            Residual = f.Get("residual") is { } residual ? Rating(residual, f.PathOf("residual")) : null,
            Mitigations = List(f, "mitigations", Text),
            Review = Date(f, "review"),
        };
    }

    private RiskRating? Rating(FileNode node, string path) =>
        Open(node, path, "a rating such as { likelihood: 2, impact: 3 }", RiskRatingFields) is { } f
            ? new RiskRating(RequiredScale(f, "likelihood") ?? 0, RequiredScale(f, "impact") ?? 0)
            : null;

    private int? RequiredScale(Fields f, string name) =>
        Required(f, name) is { } node ? Whole(node, f.PathOf(name), $"a whole-number {name} from 1 to 5") : null;

    private CascadeContribution? Cascade(FileNode node, string path) =>
        Open(node, path, "a cascade contribution such as { objective: a, from: \"other-card#b\" }", CascadeFields) is { } f
            ? new CascadeContribution(RequiredText(f, "objective"), RequiredText(f, "from"), Weight(f))
            : null;

    private Observation? Observation(FileNode node, string path)
    {
        if (Open(node, path, "an observation such as { measure: m, period: 2026-01, value: 1 }", ObservationFields) is not { } f)
        {
            return null;
        }

        string measure = RequiredText(f, "measure");
        var period = Required(f, "period") is { } p ? PeriodOf(p, f.PathOf("period")) : null;
        double value = RequiredNumber(f, "value") ?? 0;
        return new Observation(measure, period ?? default, value, Text(f, "note"), Text(f, "segment"));
    }

    private CommentaryNote? Commentary(FileNode node, string path)
    {
        if (Open(node, path, "commentary such as { item: revenue, period: 2026-11, analysis: \"...\", recommendations: \"...\" }", CommentaryFields) is not { } f)
        {
            return null;
        }

        string item = RequiredText(f, "item");
        var period = Required(f, "period") is { } p ? PeriodOf(p, f.PathOf("period")) : null;
        string analysis = Text(f, "analysis") ?? string.Empty;
        string recommendations = Text(f, "recommendations") ?? string.Empty;
        foreach (var (text, field) in new[] { (analysis, "analysis"), (recommendations, "recommendations") })
        {
            if (text.Length > ReportingCycle.CommentaryText.MaxLength)
            {
                Error(f.Get(field)!, f.PathOf(field), $"{text.Length:N0} characters; expected at most {ReportingCycle.CommentaryText.MaxLength:N0}");
            }
        }

        return new CommentaryNote(item, period ?? default, analysis, recommendations);
    }

    // ---- Objects and lists ----

    /// <summary>The fields of a mapping, after reporting fields not in <paramref name="known"/> and fields given twice.</summary>
    private Fields? Open(FileNode node, string path, string what, string[] known)
    {
        if (node is not FileMapping mapping)
        {
            Error(node, path, $"expected {what} (a mapping of fields), found {Describe(node)}");
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in mapping.Fields)
        {
            string fieldPath = Join(path, field.Key);
            if (!known.Contains(field.Key))
            {
                Error(field.Line, field.Column, fieldPath, UnknownField(field.Key, known));
            }
            else if (!seen.Add(field.Key))
            {
                Error(field.Line, field.Column, fieldPath, $"field '{field.Key}' is given more than once; each field may appear once");
            }
            else
            {
                Remember(fieldPath, field.Value);
            }
        }

        return new Fields(mapping, path);
    }

    private static string UnknownField(string key, string[] known)
    {
        // A close known name is most likely a typo of it (case counts as no difference: 'Target' is 'target').
        var closest = known
            .Select(name => (Name: name, Distance: EditDistance(key.ToUpperInvariant(), name.ToUpperInvariant())))
            .MinBy(candidate => candidate.Distance);
        string suggestion = closest.Distance <= 2 && closest.Distance < key.Length ? $" (did you mean '{closest.Name}'?)" : string.Empty;
        return $"unknown field '{key}'{suggestion}; expected one of: {string.Join(", ", known)}";
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private List<T> List<T>(Fields f, string name, Func<FileNode, string, T?> item)
        where T : class =>
        f.Get(name) is { } node ? List(node, f.PathOf(name), item) : [];

    private List<T> List<T>(FileNode node, string path, Func<FileNode, string, T?> item)
        where T : class
    {
        var list = new List<T>();
        foreach (var (element, elementPath) in Items(node, path))
        {
            if (item(element, elementPath) is { } value)
            {
                list.Add(value);
            }
        }

        return list;
    }

    private List<(FileNode Node, string Path)> Items(FileNode node, string path)
    {
        if (node is not FileSequence sequence)
        {
            Error(node, path, $"expected a list, found {Describe(node)}");
            return [];
        }

        var items = new List<(FileNode, string)>(sequence.Items.Count);
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            string itemPath = $"{path}[{i}]";
            Remember(itemPath, sequence.Items[i]);
            items.Add((sequence.Items[i], itemPath));
        }

        return items;
    }

    // ---- Fields of a mapping: absent (or null) is null; required ones report their absence ----

    private FileNode? Required(Fields f, string name)
    {
        var node = f.Get(name);
        if (node is null)
        {
            Error(f.Node, f.PathOf(name), $"missing required field '{name}'");
        }

        return node;
    }

    private string Id(Fields f)
    {
        string id = RequiredText(f, "id");
        if (id.Length > 0 && !IdPattern().IsMatch(id))
        {
            Error(f.Get("id")!, f.PathOf("id"),
                $"'{id}' is not a valid id: expected lowercase letters and digits in words joined by single '-', such as cost-per-ticket");
        }

        return id;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    private string? Text(Fields f, string name) => f.Get(name) is { } node ? Text(node, f.PathOf(name)) : null;

    private string RequiredText(Fields f, string name) => Required(f, name) is { } node ? Text(node, f.PathOf(name)) ?? string.Empty : string.Empty;

    private double? Number(Fields f, string name) => f.Get(name) is { } node ? Number(node, f.PathOf(name)) : null;

    private double? RequiredNumber(Fields f, string name) => Required(f, name) is { } node ? Number(node, f.PathOf(name)) : null;

    private bool? Bool(Fields f, string name) => f.Get(name) is { } node ? Bool(node, f.PathOf(name)) : null;

    private DateOnly? Date(Fields f, string name) => f.Get(name) is { } node ? Date(node, f.PathOf(name)) : null;

    private DateOnly? RequiredDate(Fields f, string name) => Required(f, name) is { } node ? Date(node, f.PathOf(name)) : null;

    private T? Choice<T>(Fields f, string name, Spelling<T> spelling)
        where T : struct, Enum =>
        f.Get(name) is { } node ? Choice(node, f.PathOf(name), spelling) : null;

    private T? RequiredChoice<T>(Fields f, string name, Spelling<T> spelling)
        where T : struct, Enum =>
        Required(f, name) is { } node ? Choice(node, f.PathOf(name), spelling) : null;

    /// <summary>
    /// Text with a NUL character (U+0000: a JSON "\u0000", a damaged file) is refused wherever it is: PostgreSQL cannot
    /// store it, so a file SQLite took would fail to copy or import there.
    /// </summary>
    private void NoNulCharacters(FileNode node, string path)
    {
        switch (node)
        {
            case FileScalar scalar when scalar.Text.Contains('\0', StringComparison.Ordinal):
                Error(node, path, "text without NUL characters (U+0000); the text holds one");
                break;
            case FileMapping mapping:
                foreach (var field in mapping.Fields)
                {
                    string at = path.Length == 0 ? field.Key : $"{path}.{field.Key}";
                    if (field.Key.Contains('\0', StringComparison.Ordinal))
                    {
                        Error(field.Line, field.Column, path, "field names without NUL characters (U+0000)");
                    }

                    NoNulCharacters(field.Value, at);
                }

                break;
            case FileSequence sequence:
                for (int i = 0; i < sequence.Items.Count; i++)
                {
                    NoNulCharacters(sequence.Items[i], $"{path}[{i}]");
                }

                break;
        }
    }

    // ---- Values ----

    private string? Text(FileNode node, string path)
    {
        // A YAML plain scalar is text wherever text is expected (name: 2026 is the text "2026"); JSON keeps its types.
        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Quoted } scalar)
        {
            return scalar.Text;
        }

        Error(node, path, $"expected text, found {Describe(node)}");
        return null;
    }

    private double? Number(FileNode node, string path)
    {
        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Number } scalar && TryNumber(scalar.Text, out double value))
        {
            return value;
        }

        Error(node, path, $"expected a number, found {Describe(node)}");
        return null;
    }

    private int? Whole(FileNode node, string path, string expected)
    {
        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Number } scalar && TryNumber(scalar.Text, out double value)
            && Math.Floor(value) == value && value is >= int.MinValue and <= int.MaxValue)
        {
            return (int)value;
        }

        Error(node, path, $"expected {expected}, found {Describe(node)}");
        return null;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private bool? Bool(FileNode node, string path)
    {
        if (node is FileScalar { Kind: ScalarKind.Plain or ScalarKind.Boolean } scalar)
        {
            if (string.Equals(scalar.Text, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(scalar.Text, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        Error(node, path, $"expected true or false, found {Describe(node)}");
        return null;
    }

    private Period? PeriodOf(FileNode node, string path)
    {
        // 2026 is a year whether written plain in YAML or as a JSON number.
        if (node is not FileScalar { Kind: ScalarKind.Plain or ScalarKind.Quoted or ScalarKind.Number } scalar)
        {
            Error(node, path, $"expected a period: {Period.AcceptedForms}; found {Describe(node)}");
            return null;
        }

        if (Period.TryParse(scalar.Text, out var period))
        {
            return period;
        }

        Error(node, path, $"'{scalar.Text}' is not a period: expected {Period.AcceptedForms}");
        return null;
    }

    private DateOnly? Date(FileNode node, string path)
    {
        if (node is not FileScalar { Kind: ScalarKind.Plain or ScalarKind.Quoted } scalar)
        {
            Error(node, path, $"expected a date yyyy-MM-dd such as 2026-07-01, found {Describe(node)}");
            return null;
        }

        if (DateOnly.TryParseExact(scalar.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Error(node, path, $"'{scalar.Text}' is not a date: expected yyyy-MM-dd, such as 2026-07-01");
        return null;
    }

    private T? Choice<T>(FileNode node, string path, Spelling<T> spelling)
        where T : struct, Enum
    {
        if (node is not FileScalar { Kind: ScalarKind.Plain or ScalarKind.Quoted } scalar)
        {
            Error(node, path, $"expected a {spelling.What} ({spelling.Expected}), found {Describe(node)}");
            return null;
        }

        if (spelling.TryParse(scalar.Text, out var value))
        {
            return value;
        }

        Error(node, path, $"'{scalar.Text}' is not a {spelling.What}; expected one of: {spelling.Expected}");
        return null;
    }

    private static string Describe(FileNode node) => node switch
    {
        FileMapping => "a mapping",
        FileSequence => "a list",
        FileScalar { Kind: ScalarKind.Null } => "nothing (null)",
        FileScalar { Kind: ScalarKind.Quoted } scalar => $"the quoted text '{Shorten(scalar.Text)}'",
        FileScalar scalar => $"'{Shorten(scalar.Text)}'",
        _ => "something else",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    // ---- Bookkeeping ----

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private void Remember(string path, FileNode node)
    {
        if (positions)
        {
            _positions[path] = (node.Line, node.Column);
        }
    }

    private void Error(FileNode node, string path, string message) => Error(node.Line, node.Column, path, message);

    private void Error(int line, int column, string path, string message) => _errors.Add(new FileError(file, line, column, path, message));

    /// <summary>A mapping whose fields were checked; a field given as null counts as absent.</summary>
    private sealed class Fields(FileMapping node, string path)
    {
        public FileMapping Node => node;

        public FileNode? Get(string name)
        {
            foreach (var field in node.Fields)
            {
                if (field.Key == name)
                {
                    return field.Value is FileScalar { Kind: ScalarKind.Null } ? null : field.Value;
                }
            }

            return null;
        }

        public string PathOf(string name) => Join(path, name);
    }
}
