using System.Globalization;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using static OpenBsc.Application.Features.ScorecardFiles.ScorecardFileSchema;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>
/// Writes <see cref="ScorecardData"/> as a scorecard file (docs/scorecard-file.md): the documented names and order,
/// defaults and empty values left out so that a minimal file stays minimal, numbers round-trippable in the
/// invariant culture. Reading the text back gives equal data.
/// </summary>
public static class ScorecardFileWriter
{
    public static string Write(ScorecardData data, ScorecardFileFormat format) =>
        format == ScorecardFileFormat.Json ? ToJson(data) : ToYaml(data);

    public static string ToYaml(ScorecardData data) => YamlNodeWriter.Write(ToNode(data));

    public static string ToJson(ScorecardData data) => JsonNodeWriter.Write(ToNode(data));

    /// <summary>The file as a node tree; both text forms are written from it.</summary>
    internal static FileMapping ToNode(ScorecardData data) => new Fields()
        .Add("openbsc", Number(ScorecardFileSchema.Version))
        .Add("organisation", Text(data.Scorecard.Organisation))
        .Add("scorecard", Scorecard(data.Scorecard))
        .Add("observations", List(data.Observations, Observation))
        .Add("commentary", List(data.Commentary, Commentary))
        .Build();

    private static FileMapping Scorecard(Scorecard s) => new Fields()
        .Add("id", Text(s.Id))
        .Add("name", Text(s.Name))
        .Add("mission", Text(s.Mission))
        .Add("vision", Text(s.Vision))
        .Add("values", List(s.Values, v => Text(v), flow: true))
        .Add("calendar", s.Calendar == FiscalCalendar.Gregorian ? null : Calendar(s.Calendar))
        .Add("missing", Choice(s.Missing, MissingDataPolicy.Ignore, MissingPolicies))
        .Add("partialPeriods", Choice(s.PartialPeriods, PartialPeriods.ToDate, PartialPeriodPolicies))
        .Add("overachievement", s.Overachievement == 1.0 ? null : Number(s.Overachievement))
        .Add("status", s.Status.Equals(StatusRuleSet.Default) ? null : StatusRules(s.Status))
        .Add("rollup", Choice(s.Rollup, RollupMethod.Weighted, Rollups))
        .Add("segments", List(s.Segments, Segment))
        .Add("perspectives", List(s.Perspectives, Perspective))
        .Add("links", List(s.Links, Link))
        .Add("tensions", List(s.Tensions, Tension))
        .Add("initiatives", List(s.Initiatives, Initiative))
        .Add("risks", List(s.Risks, Risk))
        .Add("cascade", List(s.Cascade, Cascade))
        .Build();

    private static FileMapping Calendar(FiscalCalendar calendar) => new Fields()
        .Add("fiscalYearStart", Number(calendar.YearStartMonth))
        .Add("fiscalYearNamedBy", calendar.NamedByStartYear ? Plain(FiscalYearNames.Name(FiscalYearName.Start)) : null)
        .Build(flow: true);

    private static FileSequence StatusRules(StatusRuleSet rules) =>
        new([.. rules.Rules.Select(rule => new Fields()
            .Add("status", Plain(Statuses.Name(rule.Status)))
            .Add("when", Text(rule.When?.ToString()))
            .Build(flow: true))]);

    private static FileMapping Segment(Segment segment) => new Fields()
        .Add("id", Text(segment.Id))
        .Add("name", Text(segment.Name))
        .Add("kind", Plain(SegmentKinds.Name(segment.Kind)))
        .Add("description", Text(segment.Description))
        .Build(flow: true);

    private static FileMapping Perspective(Perspective p) => new Fields()
        .Add("id", Text(p.Id))
        .Add("name", Text(p.Name))
        .Add("description", Text(p.Description))
        .Add("weight", Weight(p.Weight))
        .Add("rollup", Choice(p.Rollup, RollupMethod.Weighted, Rollups))
        .Add("objectives", List(p.Objectives, Objective))
        .Build();

    private static FileMapping Objective(Objective o) => new Fields()
        .Add("id", Text(o.Id))
        .Add("name", Text(o.Name))
        .Add("description", Text(o.Description))
        .Add("owner", Text(o.Owner))
        .Add("weight", Weight(o.Weight))
        .Add("rollup", Choice(o.Rollup, RollupMethod.Weighted, Rollups))
        .Add("objectives", List(o.Objectives, Objective))
        .Add("measures", List(o.Measures, Measure))
        .Build();

    private static FileMapping Measure(Measure m) => new Fields()
        .Add("id", Text(m.Id))
        .Add("name", Text(m.Name))
        .Add("description", Text(m.Description))
        .Add("unit", Text(m.Unit))
        .Add("direction", Choice(m.Direction, Direction.Increase, Directions))
        .Add("frequency", Choice(m.Frequency, PeriodKind.Month, Frequencies))
        .Add("aggregation", Choice(m.Aggregation, Aggregation.Sum, Aggregations))
        .Add("formula", Text(m.Formula))
        .Add("formulaAggregation", Choice(m.FormulaAggregation, FormulaAggregation.AggregateInputs, FormulaAggregations))
        .Add("missingInputs", Choice(m.MissingInputs, MissingInputs.Blank, MissingInputsPolicies))
        .Add("baseline", Number(m.Baseline))
        .Add("target", Number(m.Target))
        .Add("targets", m.Targets.Count == 0 ? null : Targets(m.Targets))
        .Add("min", Number(m.Min))
        .Add("max", Number(m.Max))
        .Add("scoring", m.Scoring.Equals(ScoringRule.Linear) ? null : Scoring(m.Scoring))
        .Add("scale", Choice(m.Scale, Scale.Progress, Scales))
        .Add("weight", Weight(m.Weight))
        .Add("status", m.Status is null ? null : StatusRules(m.Status))
        .Add("inherit", m.Inherit switch
        {
            null => null,
            0 => new FileScalar("true", ScalarKind.Boolean),
            int periods => Number(periods),
        })
        .Add("concern", m.Concern is { } concern ? Plain(Concerns.Name(concern)) : null)
        .Add("outcome", m.Outcome is { } outcome ? Plain(Outcomes.Name(outcome)) : null)
        .Add("valueProposition", m.ValueProposition is { } proposition ? Plain(ValuePropositions.Name(proposition)) : null)
        .Add("segment", Text(m.Segment))
        .Add("segments", List(m.Segments, SegmentSeries))
        .Add("owner", Text(m.Owner))
        .Add("leading", m.Leading is { } leading ? new FileScalar(leading ? "true" : "false", ScalarKind.Boolean) : null)
        .Add("start", m.Start is { } start ? Date(start) : null)
        .Add("due", m.Due is { } due ? Date(due) : null)
        .Add("milestones", m.Milestones.Count == 0 ? null : new FileSequence([.. m.Milestones.Select(x => (FileNode)new Fields().Add("date", Date(x.Date)).Add("value", Number(x.Value)).Build())]))
        .Build();

    private static FileMapping SegmentSeries(SegmentSeries s) => new Fields()
        .Add("segment", Text(s.Segment))
        .Add("baseline", Number(s.Baseline))
        .Add("target", Number(s.Target))
        .Add("targets", s.Targets.Count == 0 ? null : Targets(s.Targets))
        .Add("weight", Weight(s.Weight))
        .Build(flow: s.Targets.Count == 0 && s.Weight.IsConstant);

    private static FileMapping Targets(IReadOnlyList<PeriodTarget> targets)
    {
        var fields = new Fields();
        foreach (var target in targets)
        {
            fields.Add(target.Period.ToString(), Number(target.Value));
        }

        return fields.Build();
    }

    private static FileMapping Scoring(ScoringRule rule)
    {
        // Only the fields of the rule's type: the reader rejects the others.
        string[] applicable = ScoringFieldsOf(rule.Type);
        var fields = new Fields().Add("type", Plain(ScoringTypes.Name(rule.Type)));
        foreach (string name in applicable)
        {
            fields.Add(name, name switch
            {
                "goal" => Number(rule.Goal),
                "redFlag" => Number(rule.RedFlag),
                "low" => Number(rule.Low),
                "high" => Number(rule.High),
                "tolerance" => Number(rule.Tolerance),
                "points" => new FileSequence([.. rule.Points.Select(p => new FileSequence([Number(p.Value), Number(p.Score)]) { Flow = true })]) { Flow = true },
                "expression" => Text(rule.Expression),
                _ => null, // "type", written first
            });
        }

        return fields.Build(flow: true);
    }

    private static FileNode? Weight(Weight weight) =>
        weight.Equals(Domain.Scorecards.Weight.One) ? null
        : weight.IsConstant ? Number(weight.Base)
        : new FileSequence([.. weight.Changes.Select(change => new Fields()
            .Add("from", Date(change.From))
            .Add("value", Number(change.Value))
            .Build(flow: true))]) { Flow = true };

    private static FileMapping Link(CauseEffectLink link) => new Fields()
        .Add("from", Text(link.From))
        .Add("to", Text(link.To))
        .Add("note", Text(link.Note))
        .Build(flow: true);

    private static FileMapping Tension(Tension tension) => new Fields()
        .Add("between", new FileSequence([Text(tension.First)!, Text(tension.Second)!]) { Flow = true })
        .Add("note", Text(tension.Note))
        .Build(flow: true);

    private static FileMapping Initiative(Initiative i) => new Fields()
        .Add("id", Text(i.Id))
        .Add("name", Text(i.Name))
        .Add("description", Text(i.Description))
        .Add("objectives", List(i.Objectives, o => Text(o), flow: true))
        .Add("owner", Text(i.Owner))
        .Add("start", i.Start is { } start ? Date(start) : null)
        .Add("end", i.End is { } end ? Date(end) : null)
        .Add("budget", Number(i.Budget))
        .Add("actualCost", Number(i.ActualCost))
        .Add("complete", Number(i.Complete))
        .Add("milestones", List(i.Milestones, InitiativeMilestone))
        .Build();

    private static FileMapping InitiativeMilestone(InitiativeMilestone m) => new Fields()
        .Add("name", Text(m.Name))
        .Add("due", Date(m.Due))
        .Add("done", m.DoneOn is { } on ? Date(on) : m.Done ? new FileScalar("true", ScalarKind.Boolean) : null)
        .Build(flow: true);

    private static FileMapping Risk(Risk r) => new Fields()
        .Add("id", Text(r.Id))
        .Add("name", Text(r.Name))
        .Add("description", Text(r.Description))
        .Add("objectives", List(r.Objectives, o => Text(o), flow: true))
        .Add("owner", Text(r.Owner))
        .Add("likelihood", Number(r.Inherent.Likelihood))
        .Add("impact", Number(r.Inherent.Impact))
        .Add("target", r.Target is { } target ? Rating(target) : null)
        .Add("residual", r.Residual is { } residual ? Rating(residual) : null)
        .Add("mitigations", List(r.Mitigations, m => Text(m), flow: true))
        .Add("review", r.Review is { } review ? Date(review) : null)
        .Build();

    private static FileMapping Rating(RiskRating rating) => new Fields()
        .Add("likelihood", Number(rating.Likelihood))
        .Add("impact", Number(rating.Impact))
        .Build(flow: true);

    private static FileMapping Cascade(CascadeContribution c) => new Fields()
        .Add("objective", Text(c.Objective))
        .Add("from", Text(c.From))
        .Add("weight", Weight(c.Weight))
        .Build(flow: true);

    private static FileMapping Observation(Observation o) => new Fields()
        .Add("measure", Text(o.Measure))
        .Add("segment", Text(o.Segment))
        .Add("period", Plain(o.Period.ToString()))
        .Add("value", Number(o.Value))
        .Add("note", Text(o.Note))
        .Build(flow: true);

    private static FileMapping Commentary(CommentaryNote c) => new Fields()
        .Add("item", Text(c.Item))
        .Add("period", Plain(c.Period.ToString()))
        .Add("analysis", c.Analysis.Length == 0 ? null : Text(c.Analysis))
        .Add("recommendations", c.Recommendations.Length == 0 ? null : Text(c.Recommendations))
        .Build();

    // ---- Scalars: null in, nothing written ----

    private static FileScalar? Text(string? text) => text is null ? null : new FileScalar(text, ScalarKind.Quoted);

    /// <summary>A spelling, period or date: YAML writes it unquoted.</summary>
    private static FileScalar Plain(string text) => new(text, ScalarKind.Plain);

    private static FileScalar Number(double value) => new(value.ToString("R", CultureInfo.InvariantCulture), ScalarKind.Number);

    private static FileScalar? Number(double? value) => value is { } v ? Number(v) : null;

    private static FileScalar Date(DateOnly date) => Plain(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static FileScalar? Choice<T>(T value, T defaultValue, Spelling<T> spelling)
        where T : struct, Enum =>
        EqualityComparer<T>.Default.Equals(value, defaultValue) ? null : Plain(spelling.Name(value));

    private static FileSequence? List<T>(IReadOnlyList<T> items, Func<T, FileNode?> item, bool flow = false) =>
        items.Count == 0 ? null : new FileSequence([.. items.Select(i => item(i)!)]) { Flow = flow };

    /// <summary>Collects a mapping's fields in order, skipping absent (null) values.</summary>
    private sealed class Fields
    {
        private readonly List<FileField> _fields = [];

        public Fields Add(string key, FileNode? value)
        {
            if (value is not null)
            {
                _fields.Add(new FileField(key, value));
            }

            return this;
        }

        public FileMapping Build(bool flow = false) => new(_fields) { Flow = flow };
    }
}
