using CsCheck;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.IntegrationTests.ScorecardFiles;

public sealed class ScorecardFileWriterTests
{
    private static readonly ScorecardData MinimalData = new(new Scorecard { Id = "s", Name = "S" }, []);

    [Fact]
    public void ToYaml_MinimalScorecard_WritesOnlyWhatIsSet()
    {
        Assert.Equal("openbsc: 1\nscorecard:\n  id: s\n  name: S\n", ScorecardFileWriter.ToYaml(MinimalData));
    }

    [Fact]
    public void ToJson_MinimalScorecard_WritesOnlyWhatIsSet()
    {
        Assert.Equal("{\n  \"openbsc\": 1,\n  \"scorecard\": {\n    \"id\": \"s\",\n    \"name\": \"S\"\n  }\n}\n", ScorecardFileWriter.ToJson(MinimalData));
    }

    [Fact]
    public void ToYaml_DocumentExample_WritesTheDocumentedNamesAndOrder()
    {
        string yaml = ScorecardFileWriter.ToYaml(ScorecardFileExamples.FullExample());

        Assert.Equal("""
            openbsc: 1
            organisation: Northwind Support
            scorecard:
              id: support-2026
              name: Customer Support Scorecard
              mission: Answer every customer quickly and well, at a cost we can sustain.
              vision: "..."
              values: [Respect, Ownership]
              segments:
                - { id: retail, name: Retail customers, kind: customer }
                - { id: dealers, name: Dealers, kind: partner }
              perspectives:
                - id: financial
                  name: Financial
                  objectives:
                    - id: lower-cost-to-serve
                      name: Lower the cost to serve
                      measures:
                        - id: cost-per-ticket
                          name: Cost per ticket
                          unit: USD
                          direction: decrease
                          aggregation: average
                          baseline: 12
                          target: 9
                          min: 0
                          max: 20
                          concern: cost
                          segment: retail
                          owner: ana@example.org
                          leading: false
                - id: customer
                  name: Customer
                  objectives:
                    - id: loyal-customers
                      name: Keep customers loyal
                      measures:
                        - id: nps
                          name: Net Promoter Score
                          formula: "[promoters-pct] - [detractors-pct]"
                          baseline: 10
                          target: 40
                          outcome: retention
                          valueProposition: service
              links:
                - { from: loyal-customers, to: lower-cost-to-serve, note: loyal customers need less support }
              tensions:
                - { between: [lower-cost-to-serve, loyal-customers], note: cost vs loyalty }
              initiatives:
                - id: self-service
                  name: Self-service portal
                  objectives: [lower-cost-to-serve]
                  owner: ana@example.org
                  start: 2026-01-01
                  end: 2026-09-30
                  budget: 120000
                  complete: 0.4
              cascade:
                - { objective: loyal-customers, from: "emea-support#loyal-customers", weight: 2 }
            observations:
              - { measure: cost-per-ticket, period: 2026-01, value: 11.4, note: January close }
              - { measure: promoters-pct, period: 2026-01, value: 52 }

            """, yaml);
    }

    [Theory]
    [InlineData("full", ScorecardFileFormat.Yaml)]
    [InlineData("full", ScorecardFileFormat.Json)]
    [InlineData("rich", ScorecardFileFormat.Yaml)]
    [InlineData("rich", ScorecardFileFormat.Json)]
    public void Write_ThenRead_GivesEqualData(string example, ScorecardFileFormat format)
    {
        var data = example == "full" ? ScorecardFileExamples.FullExample() : ScorecardFileExamples.Rich();

        string text = ScorecardFileWriter.Write(data, format);
        var result = ScorecardFileReader.Parse(text, format, "written");

        Assert.True(result.IsValid, string.Join("\n", result.Errors) + "\n" + text);
        Assert.Equal(data, result.Data);
    }

    [Fact]
    public void Write_FixtureReadBack_GivesEqualDataInBothFormats()
    {
        var read = ScorecardFileReader.Read(ScorecardFileExamples.FixturePath("full-example.yaml")).Data!;

        var viaYaml = ScorecardFileReader.Parse(ScorecardFileWriter.ToYaml(read), ScorecardFileFormat.Yaml).Data;
        var viaJson = ScorecardFileReader.Parse(ScorecardFileWriter.ToJson(read), ScorecardFileFormat.Json).Data;

        Assert.Equal(read, viaYaml);
        Assert.Equal(read, viaJson);
    }

    [Theory]
    [InlineData("2026")]
    [InlineData("1.5e3")]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData(" leading space")]
    [InlineData("trailing space ")]
    [InlineData("key: value")]
    [InlineData("a #comment")]
    [InlineData("#comment")]
    [InlineData("- item")]
    [InlineData("[flow]")]
    [InlineData("{flow}")]
    [InlineData("a, b")]
    [InlineData("'single'")]
    [InlineData("\"double\"")]
    [InlineData("back\\slash")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("@at")]
    [InlineData("&anchor")]
    [InlineData("*alias")]
    [InlineData("!tag")]
    [InlineData("%directive")]
    [InlineData("|")]
    [InlineData(">")]
    [InlineData("? key")]
    [InlineData("2026-01-01")]
    [InlineData("Zürich — 中文")]
    [InlineData("...")]
    [InlineData("---")]
    public void Write_TextThatYamlWouldMisread_RoundTrips(string text)
    {
        var data = new ScorecardData(
            new Scorecard { Id = "s", Name = text, Values = [text, "x"], Organisation = text },
            [new Observation("m", Period.Month(2026, 1), 1, text)]);

        foreach (var format in new[] { ScorecardFileFormat.Yaml, ScorecardFileFormat.Json })
        {
            string written = ScorecardFileWriter.Write(data, format);
            var result = ScorecardFileReader.Parse(written, format);
            Assert.True(result.IsValid, string.Join("\n", result.Errors) + "\n" + written);
            Assert.Equal(data, result.Data);
        }
    }

    [Theory]
    [InlineData("2026")]
    [InlineData("true")]
    [InlineData("Off")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("1e3")]
    [InlineData("2026-01-01")]
    [InlineData("-x")]
    public void ToYaml_TextOtherToolsWouldReadAsAnotherType_IsQuoted(string text)
    {
        string yaml = ScorecardFileWriter.ToYaml(new ScorecardData(new Scorecard { Id = "s", Name = text }, []));

        Assert.Contains($"  name: \"{text}\"\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_Observation_WritesPeriodAsTextAndValueAsNumber()
    {
        string json = ScorecardFileWriter.ToJson(new ScorecardData(MinimalData.Scorecard, [new Observation("m", Period.FiscalYear(2026), 0.1)]));

        Assert.Contains("\"measure\": \"m\",\n      \"period\": \"2026\",\n      \"value\": 0.1\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToYaml_WeightsAndNumbers_UseTheDocumentedForms()
    {
        var data = new ScorecardData(
            new Scorecard
            {
                Id = "s",
                Name = "S",
                Perspectives =
                [
                    new Perspective { Id = "a", Name = "A", Weight = new Weight(2) },
                    new Perspective { Id = "b", Name = "B", Weight = new Weight([new WeightChange(new DateOnly(2026, 7, 1), 0.1 + 0.2)]) },
                    new Perspective { Id = "c", Name = "C", Weight = Weight.One },
                ],
            },
            []);

        string yaml = ScorecardFileWriter.ToYaml(data);

        Assert.Contains("    - id: a\n      name: A\n      weight: 2\n", yaml, StringComparison.Ordinal);
        Assert.Contains("      weight: [{ from: 2026-07-01, value: 0.30000000000000004 }]\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    - id: c\n      name: C\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("weight: 1", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void ToYaml_Enums_AreCanonicalLowercaseWithDashes()
    {
        var measure = ScorecardFileExamples.Rich().Scorecard.Perspectives[0].Objectives[0].Measures[0];
        var data = new ScorecardData(
            new Scorecard
            {
                Id = "s",
                Name = "S",
                Perspectives = [new Perspective { Id = "p", Name = "P", Objectives = [new Objective { Id = "o", Name = "O", Measures = [measure] }] }],
            },
            []);

        string yaml = ScorecardFileWriter.ToYaml(data);

        Assert.Contains("frequency: half-year\n", yaml, StringComparison.Ordinal);
        Assert.Contains("formulaAggregation: aggregate-results\n", yaml, StringComparison.Ordinal);
        Assert.Contains("concern: performance-service\n", yaml, StringComparison.Ordinal);
        Assert.Contains("outcome: market-share\n", yaml, StringComparison.Ordinal);
        Assert.Contains("scale: performance\n", yaml, StringComparison.Ordinal);
        Assert.Contains("inherit: true\n", yaml, StringComparison.Ordinal);
        Assert.Contains("status:\n                - { status: Red }\n", yaml, StringComparison.Ordinal);
        Assert.Contains("targets:\n                \"2026-Q2\": 9.5\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_GeneratedScorecards_RoundTripInBothFormats()
    {
        ScorecardGen.Data.Sample(data =>
        {
            foreach (var format in new[] { ScorecardFileFormat.Yaml, ScorecardFileFormat.Json })
            {
                string written = ScorecardFileWriter.Write(data, format);
                var result = ScorecardFileReader.Parse(written, format);
                Assert.True(result.IsValid, string.Join("\n", result.Errors) + "\n" + written);
                Assert.Equal(data, result.Data);
            }
        }, iter: 300, print: data => ScorecardFileWriter.ToYaml(data));
    }

    /// <summary>Small scorecards with awkward text and numbers, for the round-trip property.</summary>
    private static class ScorecardGen
    {
        private static readonly Gen<string> Id = Gen.OneOf("a", "b-2", "cost-per-ticket", "2026", "x1-y2-z3");

        private static readonly Gen<string> Text = Gen.OneOf(
            Gen.String[Gen.Char["aZ09 :#-,[]{}'\"\\\n\t\r.é€中?&*!|>%@~"], 0, 10],
            Gen.OneOf("true", "False", "null", "~", "2026", "2026-01", "1e3", "-1", ".inf", "0x1F", "- x", " x", "x ", "yes", "a: b", "a #b", "..."));

        private static readonly Gen<string?> OptionalText = Text.Null(0.5);

        private static readonly Gen<double> Number = Gen.OneOf(
            Gen.Double[-1e6, 1e6],
            Gen.OneOf(0.0, -0.0, 1.0, 0.1, 1.0 / 3, 1e-300, 1e20, double.MaxValue, double.Epsilon, -2.5));

        private static readonly Gen<double?> OptionalNumber = Number.Nullable(0.5);

        private static readonly Gen<DateOnly> Date = Gen.DateOnly[new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31)];

        private static readonly Gen<Period> Period = Gen.OneOf(
            Gen.Int[2000, 2100].Select(y => Domain.Periods.Period.FiscalYear(y)),
            Gen.Select(Gen.Int[2000, 2100], Gen.Int[1, 2], (y, n) => Domain.Periods.Period.Half(y, n)),
            Gen.Select(Gen.Int[2000, 2100], Gen.Int[1, 4], (y, n) => Domain.Periods.Period.Quarter(y, n)),
            Gen.Select(Gen.Int[2000, 2100], Gen.Int[1, 12], (y, n) => Domain.Periods.Period.Month(y, n)),
            Gen.Select(Gen.Int[2000, 2100], Gen.Int[1, 52], (y, n) => Domain.Periods.Period.Week(y, n)),
            Date.Select(d => Domain.Periods.Period.Day(d)));

        private static readonly Gen<Weight> Weight = Gen.OneOf(
            Gen.Const(Domain.Scorecards.Weight.One),
            Number.Select(w => new Weight(w)),
            Gen.Select(Date, Number, (d, w) => new WeightChange(d, w)).Array[0, 3].Select(changes => new Weight(changes)));

        private static readonly Gen<StatusRuleSet> StatusRules =
            Gen.Select(
                Gen.OneOf(Status.Green, Status.Yellow, Status.Red),
                Gen.Select(Gen.Enum<StatusVariable>(), Gen.Enum<Comparison>(), Number, (v, c, n) => new StatusCondition(v, c, n)).Null(0.3),
                (status, when) => new StatusRule(status, when))
            .Array[0, 3].Select(rules => new StatusRuleSet(rules));

        private static readonly Gen<ScoringRule> Scoring = Gen.OneOf(
            Gen.Enum<ScoringType>().Where(t => t is ScoringType.Linear or ScoringType.Ratio or ScoringType.Binary or ScoringType.None)
                .Select(t => new ScoringRule { Type = t }),
            Gen.Select(Number, Number, (g, r) => new ScoringRule { Type = ScoringType.Thresholds, Goal = g, RedFlag = r }),
            Gen.Select(Number, Number, OptionalNumber, (l, h, t) => new ScoringRule { Type = ScoringType.Range, Low = l, High = h, Tolerance = t }),
            Gen.Select(Number, Number, (v, s) => new ScorePoint(v, s)).Array[0, 3].Select(p => new ScoringRule { Type = ScoringType.Points, Points = p }),
            Text.Select(e => new ScoringRule { Type = ScoringType.Formula, Expression = e }));

        private static readonly Gen<Measure> Measure =
            Gen.Select(
                Id, Text, OptionalText, Gen.Enum<Direction>(), Gen.Enum<PeriodKind>(), Gen.Enum<Aggregation>(), OptionalNumber, OptionalNumber,
                Gen.Select(Period, Number, (p, v) => new PeriodTarget(p, v)).Array[0, 3].Select(Distinct), Scoring, Weight,
                (id, name, unit, direction, frequency, aggregation, baseline, target, targets, scoring, weight) => new Measure
                {
                    Id = id,
                    Name = name,
                    Unit = unit,
                    Direction = direction,
                    Frequency = frequency,
                    Aggregation = aggregation,
                    Baseline = baseline,
                    Target = target,
                    Targets = targets,
                    Scoring = scoring,
                    Weight = weight,
                })
            .SelectMany(m => Gen.Select(
                Gen.Enum<Scale>(), StatusRules.Null(0.7), Gen.OneOf<int?>(null, 0, 1, 12), Gen.Enum<CustomerConcern>().Nullable(0.5),
                Gen.Enum<CustomerOutcome>().Nullable(0.5), Gen.Enum<ValueProposition>().Nullable(0.5), Gen.Bool.Nullable(0.5), OptionalText,
                Gen.Enum<FormulaAggregation>(), Gen.Enum<MissingInputs>(), OptionalNumber,
                (scale, status, inherit, concern, outcome, proposition, leading, formula, formulaAggregation, missingInputs, min) => m with
                {
                    Scale = scale,
                    Status = status,
                    Inherit = inherit,
                    Concern = concern,
                    Outcome = outcome,
                    ValueProposition = proposition,
                    Leading = leading,
                    Formula = formula,
                    FormulaAggregation = formulaAggregation,
                    MissingInputs = missingInputs,
                    Min = min,
                    Description = formula,
                    Segment = formula,
                    Owner = formula,
                }));

        // Targets are keyed by period in the file, so a period appears once.
        private static PeriodTarget[] Distinct(PeriodTarget[] targets) => [.. targets.DistinctBy(t => t.Period)];

        private static readonly Gen<Objective> Leaf =
            Gen.Select(Id, Text, OptionalText, Weight, Gen.Enum<RollupMethod>(), Measure.Array[0, 2],
                (id, name, owner, weight, rollup, measures) => new Objective { Id = id, Name = name, Owner = owner, Description = owner, Weight = weight, Rollup = rollup, Measures = measures });

        private static readonly Gen<Objective> Objective =
            Gen.Select(Leaf, Leaf.Array[0, 2], (objective, children) => objective with { Objectives = children });

        private static readonly Gen<Perspective> Perspective =
            Gen.Select(Id, Text, OptionalText, Weight, Gen.Enum<RollupMethod>(), Objective.Array[0, 2],
                (id, name, description, weight, rollup, objectives) => new Perspective { Id = id, Name = name, Description = description, Weight = weight, Rollup = rollup, Objectives = objectives });

        private static readonly Gen<InitiativeMilestone> InitiativeMilestone = Gen.OneOf(
            Gen.Select(Text, Date, Gen.Bool, (name, due, done) => new InitiativeMilestone(name, due, done)),
            Gen.Select(Text, Date, Date, (name, due, on) => new InitiativeMilestone(name, due, true, on)));

        private static readonly Gen<Initiative> Initiative =
            Gen.Select(Id, Text, OptionalText, Id.Array[0, 2], Date.Nullable(0.5), Date.Nullable(0.5), OptionalNumber, OptionalNumber, OptionalNumber,
                InitiativeMilestone.Array[0, 2],
                (id, name, text, objectives, start, end, budget, cost, complete, milestones) => new Initiative
                {
                    Id = id,
                    Name = name,
                    Description = text,
                    Owner = text,
                    Objectives = objectives,
                    Start = start,
                    End = end,
                    Budget = budget,
                    ActualCost = cost,
                    Complete = complete,
                    Milestones = milestones,
                });

        private static readonly Gen<RiskRating> Rating = Gen.Select(Gen.Int[-3, 9], Gen.Int[-3, 9], (l, i) => new RiskRating(l, i));

        private static readonly Gen<Risk> Risk =
            Gen.Select(Id, Text, OptionalText, Id.Array[0, 2], Rating, Rating.Nullable(0.5), Rating.Nullable(0.5), Id.Array[0, 2], Date.Nullable(0.5),
                (id, name, text, objectives, inherent, target, residual, mitigations, review) => new Risk
                {
                    Id = id,
                    Name = name,
                    Description = text,
                    Owner = text,
                    Objectives = objectives,
                    Inherent = inherent,
                    Target = target,
                    Residual = residual,
                    Mitigations = mitigations,
                    Review = review,
                });

        private static readonly Gen<Scorecard> Scorecard =
            Gen.Select(
                Id, Text, OptionalText, OptionalText, Text.Array[0, 3],
                Gen.Select(Gen.Int[1, 12], Gen.Bool, (month, byStart) => new FiscalCalendar(month, byStart)),
                Gen.Enum<MissingDataPolicy>(), Number, StatusRules, Gen.Enum<RollupMethod>(), Perspective.Array[0, 2],
                (id, name, organisation, mission, values, calendar, missing, overachievement, status, rollup, perspectives) => new Scorecard
                {
                    Id = id,
                    Name = name,
                    Organisation = organisation,
                    Mission = mission,
                    Vision = mission,
                    Values = values,
                    Calendar = calendar,
                    Missing = missing,
                    Overachievement = overachievement,
                    Status = status,
                    Rollup = rollup,
                    Perspectives = perspectives,
                })
            .SelectMany(s => Gen.Select(
                Gen.Select(Id, Text, Gen.Enum<SegmentKind>(), OptionalText, (id, name, kind, description) => new Segment(id, name, kind, description)).Array[0, 2],
                Gen.Select(Text, Text, OptionalText, (from, to, note) => new CauseEffectLink(from, to, note)).Array[0, 2],
                Gen.Select(Text, Text, OptionalText, (first, second, note) => new Tension(first, second, note)).Array[0, 2],
                Initiative.Array[0, 2],
                Gen.Select(Text, Text, Weight, (objective, from, weight) => new CascadeContribution(objective, from, weight)).Array[0, 2],
                Risk.Array[0, 2],
                (segments, links, tensions, initiatives, cascade, risks) => s with
                {
                    Segments = segments,
                    Links = links,
                    Tensions = tensions,
                    Initiatives = initiatives,
                    Cascade = cascade,
                    Risks = risks,
                }));

        public static readonly Gen<ScorecardData> Data =
            Gen.Select(Scorecard, Gen.Select(Text, Period, Number, OptionalText, (m, p, v, note) => new Observation(m, p, v, note)).Array[0, 3],
                (scorecard, observations) => new ScorecardData(scorecard, observations));
    }
}
