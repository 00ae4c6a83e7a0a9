using System.Text;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.IntegrationTests.ScorecardFiles;

public sealed partial class ScorecardFileReaderTests
{
    private const string Minimal = """
        openbsc: 1
        scorecard:
          id: s
          name: S

        """;

    [Fact]
    public void Read_DocumentExampleYaml_MapsEveryField()
    {
        var result = ScorecardFileReader.Read(ScorecardFileExamples.FixturePath("full-example.yaml"));

        Assert.Empty(result.Errors);
        var data = Assert.IsType<ScorecardData>(result.Data);
        var card = data.Scorecard;
        Assert.Equal("Northwind Support", card.Organisation);
        Assert.Equal("support-2026", card.Id);
        Assert.Equal("...", card.Vision);
        Assert.Equal(["Respect", "Ownership"], card.Values);
        Assert.Equal(StatusRuleSet.Default, card.Status);
        Assert.Equal(SegmentKind.Partner, card.Segments[1].Kind);
        var cost = card.Perspectives[0].Objectives[0].Measures[0];
        Assert.Equal((Direction.Decrease, Aggregation.Average, 12.0, 9.0, 0.0, 20.0), (cost.Direction, cost.Aggregation, cost.Baseline, cost.Target, cost.Min, cost.Max));
        Assert.Equal((CustomerConcern.Cost, "retail", false), (cost.Concern, cost.Segment, cost.Leading));
        var nps = card.Perspectives[1].Objectives[0].Measures[0];
        Assert.Equal("[promoters-pct] - [detractors-pct]", nps.Formula);
        Assert.Equal((CustomerOutcome.Retention, ValueProposition.Service), (nps.Outcome, nps.ValueProposition));
        Assert.Equal(new Tension("lower-cost-to-serve", "loyal-customers", "cost vs loyalty"), card.Tensions[0]);
        Assert.Equal(new DateOnly(2026, 9, 30), card.Initiatives[0].End);
        Assert.Equal(new Weight(2), card.Cascade[0].Weight);
        Assert.Equal(new Observation("cost-per-ticket", Period.Month(2026, 1), 11.4, "January close"), data.Observations[0]);
        Assert.Equal(ScorecardFileExamples.FullExample(), data);
    }

    [Fact]
    public void Read_DocumentExampleJson_EqualsTheYaml()
    {
        var json = ScorecardFileReader.Read(ScorecardFileExamples.FixturePath("full-example.json"));
        var yaml = ScorecardFileReader.Read(ScorecardFileExamples.FixturePath("full-example.yaml"));

        Assert.Empty(json.Errors);
        Assert.NotNull(json.Data);
        Assert.Equal(yaml.Data, json.Data);
    }

    [Fact]
    public void Parse_Minimal_GivesDefaults()
    {
        var data = Parse(Minimal);

        Assert.Equal(new Scorecard { Id = "s", Name = "S" }, data.Scorecard);
        Assert.Empty(data.Observations);
    }

    [Fact]
    public void Parse_PlanWithMilestones_RoundTrips()
    {
        var measure = ParseMeasure("""
            baseline: 15
            target: 35
            start: 2026-01-01
            due: 2026-12-31
            milestones: [{ date: 2026-03-31, value: 20 }, { date: 2026-06-30, value: 25 }]
            """);

        Assert.Equal(new DateOnly(2026, 1, 1), measure.Start);
        Assert.Equal(new DateOnly(2026, 12, 31), measure.Due);
        Assert.Equal([new Milestone(new DateOnly(2026, 3, 31), 20), new Milestone(new DateOnly(2026, 6, 30), 25)], measure.Milestones);
        var data = Parse(Minimal + "  perspectives: []\n") with { };
        var card = data with { Scorecard = data.Scorecard with { Perspectives = [new Perspective { Id = "p", Name = "P", Objectives = [new Objective { Id = "o", Name = "O", Measures = [measure] }] }] } };
        var again = Parse(ScorecardFileWriter.ToYaml(card));
        Assert.Equal(card, again);
    }

    [Fact]
    public void Parse_WeightAsListOfChanges_GivesChangingWeight()
    {
        var data = Parse(Minimal + """
              perspectives:
                - id: p
                  name: P
                  weight: [{ from: 2026-07-01, value: 2 }, { from: 2026-01-01, value: 0.5 }]
                - id: q
                  name: Q
                  weight: 3
            """);

        var changing = data.Scorecard.Perspectives[0].Weight;
        // Kept as written, so errors point at the entry as written; the weight in effect does not depend on order.
        Assert.Equal(new Weight([new WeightChange(new DateOnly(2026, 7, 1), 2), new WeightChange(new DateOnly(2026, 1, 1), 0.5)]), changing);
        Assert.Equal(1, changing.At(new DateOnly(2025, 12, 31)));
        Assert.Equal(0.5, changing.At(new DateOnly(2026, 3, 1)));
        Assert.Equal(2, changing.At(new DateOnly(2026, 8, 1)));
        Assert.Equal(new Weight(3), data.Scorecard.Perspectives[1].Weight);
    }

    [Fact]
    public void Parse_TargetsByPeriod_KeepsTheirOrder()
    {
        var measure = ParseMeasure("""
            target: 8
            targets: { "2026-Q2": 9.5, 2026-01: 10, 2027: 7 }
            """);

        Assert.Equal(8, measure.Target);
        Assert.Equal(
            [new PeriodTarget(Period.Quarter(2026, 2), 9.5), new PeriodTarget(Period.Month(2026, 1), 10), new PeriodTarget(Period.FiscalYear(2027), 7)],
            measure.Targets);
    }

    [Theory]
    [InlineData("true", 0)]
    [InlineData("false", null)]
    [InlineData("3", 3)]
    [InlineData("TRUE", 0)]
    public void Parse_Inherit_GivesPeriodsOrUnlimitedOrOff(string written, int? expected)
    {
        var measure = ParseMeasure($"inherit: {written}");

        Assert.Equal(expected, measure.Inherit);
    }

    [Theory]
    [InlineData("{ type: linear }", ScoringType.Linear)]
    [InlineData("{ type: thresholds, goal: 700, redFlag: 500 }", ScoringType.Thresholds)]
    [InlineData("{ type: range, low: 95, high: 105, tolerance: 10 }", ScoringType.Range)]
    [InlineData("{ type: ratio }", ScoringType.Ratio)]
    [InlineData("{ type: points, points: [[10, 0.8], [20, 1.0], [25, 1.2]] }", ScoringType.Points)]
    [InlineData("{ type: binary }", ScoringType.Binary)]
    [InlineData("{ type: formula, expression: \"pow((v-b)/(t-b), 2)\" }", ScoringType.Formula)]
    [InlineData("{ type: none }", ScoringType.None)]
    [InlineData("{ type: Thresholds, goal: 700, redFlag: 500 }", ScoringType.Thresholds)]
    public void Parse_ScoringForm_GivesRuleOfItsType(string scoring, ScoringType type)
    {
        var rule = ParseMeasure($"scoring: {scoring}").Scoring;

        Assert.Equal(type, rule.Type);
        switch (type)
        {
            case ScoringType.Thresholds:
                Assert.Equal((700.0, 500.0), (rule.Goal, rule.RedFlag));
                break;
            case ScoringType.Range:
                Assert.Equal((95.0, 105.0, 10.0), (rule.Low, rule.High, rule.Tolerance));
                break;
            case ScoringType.Points:
                Assert.Equal([new ScorePoint(10, 0.8), new ScorePoint(20, 1.0), new ScorePoint(25, 1.2)], rule.Points);
                break;
            case ScoringType.Formula:
                Assert.Equal("pow((v-b)/(t-b), 2)", rule.Expression);
                break;
        }
    }

    [Fact]
    public void Parse_EnumsInAnyCase_GiveTheirValues()
    {
        var measure = ParseMeasure("""
            direction: DECREASE
            frequency: Half-Year
            formulaAggregation: aggregate-results
            concern: performance-service
            outcome: Market-Share
            valueProposition: functionality
            scale: performance
            """);

        Assert.Equal(Direction.Decrease, measure.Direction);
        Assert.Equal(PeriodKind.HalfYear, measure.Frequency);
        Assert.Equal(FormulaAggregation.AggregateResults, measure.FormulaAggregation);
        Assert.Equal(CustomerConcern.PerformanceService, measure.Concern);
        Assert.Equal(CustomerOutcome.MarketShare, measure.Outcome);
        Assert.Equal(ValueProposition.Functionality, measure.ValueProposition);
        Assert.Equal(Scale.Performance, measure.Scale);
    }

    [Fact]
    public void Parse_StatusRules_GiveConditionsInOrder()
    {
        var data = Parse(Minimal + """
              status:
                - { status: green, when: "percentOfTarget > 1.05" }
                - { status: YELLOW, when: "value==-3.5" }
                - { status: Red, when: progress < 0.1 }
            """);

        Assert.Equal(
            new StatusRuleSet(
            [
                new StatusRule(Status.Green, new StatusCondition(StatusVariable.PercentOfTarget, Comparison.Greater, 1.05)),
                new StatusRule(Status.Yellow, new StatusCondition(StatusVariable.Value, Comparison.Equal, -3.5)),
                new StatusRule(Status.Red, new StatusCondition(StatusVariable.Progress, Comparison.Less, 0.1)),
            ]),
            data.Scorecard.Status);
    }

    [Fact]
    public void Parse_MeasureStatus_OverridesOnlyThatMeasure()
    {
        var measure = ParseMeasure("status: [{ status: Green, when: score >= 0.5 }, { status: Red }]");

        Assert.Equal(
            new StatusRuleSet([new StatusRule(Status.Green, new StatusCondition(StatusVariable.Score, Comparison.GreaterOrEqual, 0.5)), new StatusRule(Status.Red, null)]),
            measure.Status);
    }

    [Theory]
    [InlineData("{ fiscalYearStart: 4 }", 4, false)]
    [InlineData("{ fiscalYearStart: 10, fiscalYearNamedBy: start }", 10, true)]
    [InlineData("{ fiscalYearStart: 7, fiscalYearNamedBy: end }", 7, false)]
    public void Parse_Calendar_GivesFiscalCalendar(string calendar, int startMonth, bool namedByStart)
    {
        var data = Parse(Minimal + $"  calendar: {calendar}\n");

        Assert.Equal(new FiscalCalendar(startMonth, namedByStart), data.Scorecard.Calendar);
    }

    [Fact]
    public void Parse_YearPeriodWrittenAsNumber_IsAYear()
    {
        var yaml = Parse(Minimal + "observations: [{ measure: m, period: 2026, value: 1 }]\n");
        var json = Parse("""{ "openbsc": 1, "scorecard": { "id": "s", "name": "S" }, "observations": [{ "measure": "m", "period": 2026, "value": 1 }] }""", ScorecardFileFormat.Json);

        Assert.Equal(Period.FiscalYear(2026), yaml.Observations[0].Period);
        Assert.Equal(Period.FiscalYear(2026), json.Observations[0].Period);
    }

    [Fact]
    public void Parse_ExtraFields_AreKept()
    {
        var data = Parse(Minimal + """
              rollup: max
              perspectives:
                - id: p
                  name: P
                  description: About P
                  rollup: average
                  objectives:
                    - id: o
                      name: O
                      description: About O
                      owner: ana@example.org
                      objectives:
                        - { id: sub, name: Sub-objective }
                      measures:
                        - { id: m, name: M, description: About M, weight: 2 }
              initiatives:
                - { id: i, name: I, description: About I, actualCost: 99.5 }
              segments:
                - { id: s1, name: S1, kind: beneficiary, description: About S1 }
            observations:
              - { measure: m, period: 2026-W07, value: 1.5, note: "a note" }
            """);

        var card = data.Scorecard;
        Assert.Equal(RollupMethod.Max, card.Rollup);
        Assert.Equal(("About P", RollupMethod.Average), (card.Perspectives[0].Description, card.Perspectives[0].Rollup));
        var objective = card.Perspectives[0].Objectives[0];
        Assert.Equal(("About O", "ana@example.org"), (objective.Description, objective.Owner));
        Assert.Equal("sub", objective.Objectives[0].Id);
        Assert.Equal(("About M", new Weight(2)), (objective.Measures[0].Description, objective.Measures[0].Weight));
        Assert.Equal(("About I", 99.5), (card.Initiatives[0].Description, card.Initiatives[0].ActualCost));
        Assert.Equal(new Segment("s1", "S1", SegmentKind.Beneficiary, "About S1"), card.Segments[0]);
        Assert.Equal(new Observation("m", Period.Week(2026, 7), 1.5, "a note"), data.Observations[0]);
    }

    [Fact]
    public void Parse_NullOrEmptyValues_CountAsAbsent()
    {
        var data = Parse(Minimal + """
              mission: ~
              vision: null
              perspectives:
                - id: p
                  name: P
                  objectives:
            """);

        Assert.Null(data.Scorecard.Mission);
        Assert.Null(data.Scorecard.Vision);
        Assert.Empty(data.Scorecard.Perspectives[0].Objectives);
    }

    [Fact]
    public void Parse_YamlTextThatLooksLikeANumber_IsText()
    {
        var data = Parse(Minimal.Replace("name: S", "name: 2026", StringComparison.Ordinal) + "  values: [1.5, true, !!str 7]\n");

        Assert.Equal("2026", data.Scorecard.Name);
        Assert.Equal(["1.5", "true", "7"], data.Scorecard.Values);
    }

    [Fact]
    public void Parse_JsonWithCommentsAndTrailingCommas_IsRead()
    {
        var data = Parse("""
            // exported by hand
            { "openbsc": 1, "scorecard": { "id": "s", "name": "S", }, }
            """, ScorecardFileFormat.Json);

        Assert.Equal("S", data.Scorecard.Name);
    }

    [Theory]
    [InlineData("card.json", "openbsc: 1", ScorecardFileFormat.Json)]
    [InlineData("card.YAML", "{}", ScorecardFileFormat.Yaml)]
    [InlineData("card.yml", "{}", ScorecardFileFormat.Yaml)]
    [InlineData("card.txt", "  \n {\"openbsc\": 1}", ScorecardFileFormat.Json)]
    [InlineData("-", "\uFEFF{\"openbsc\": 1}", ScorecardFileFormat.Json)]
    [InlineData("card", "openbsc: 1", ScorecardFileFormat.Yaml)]
    public void DetectFormat_ByExtensionThenContent_PicksFrontEnd(string path, string content, ScorecardFileFormat expected)
    {
        Assert.Equal(expected, ScorecardFileReader.DetectFormat(path, Encoding.UTF8.GetBytes(content)));
    }

    [Fact]
    public void Read_JsonFileWithoutExtension_IsDetectedAndNamedInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"openbsc-{Guid.NewGuid():N}");
        File.WriteAllText(path, "{ \"openbsc\": 1, \"scorecard\": { \"id\": \"s\" } }");
        try
        {
            var result = ScorecardFileReader.Read(path);

            var error = Assert.Single(result.Errors);
            Assert.Equal(path, error.File);
            Assert.Equal("scorecard.name", error.Path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_MissingFile_ThrowsIOException()
    {
        Assert.ThrowsAny<IOException>(() => ScorecardFileReader.Read(Path.Combine(Path.GetTempPath(), $"openbsc-missing-{Guid.NewGuid():N}.yaml")));
    }

    private static ScorecardData Parse(string text, ScorecardFileFormat format = ScorecardFileFormat.Yaml)
    {
        var result = ScorecardFileReader.Parse(text, format, "card");
        Assert.Empty(result.Errors);
        return Assert.IsType<ScorecardData>(result.Data);
    }

    /// <summary>Parses a card with one measure 'm' whose extra lines are <paramref name="fields"/>.</summary>
    private static Measure ParseMeasure(string fields)
    {
        string indented = string.Join("\n", fields.Split('\n').Select(line => new string(' ', 14) + line));
        var data = Parse(Minimal + $"""
              perspectives:
                - id: p
                  name: P
                  objectives:
                    - id: o
                      name: O
                      measures:
                        - id: m
                          name: M
            {indented}

            """);
        return data.Scorecard.Perspectives[0].Objectives[0].Measures[0];
    }
}
