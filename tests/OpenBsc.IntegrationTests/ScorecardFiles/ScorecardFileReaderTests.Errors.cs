using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Periods;

namespace OpenBsc.IntegrationTests.ScorecardFiles;

public sealed partial class ScorecardFileReaderTests
{
    /// <summary>A card whose measure starts on line 12 with its fields at column 15; more fields appended go on line 14 on.</summary>
    private const string MeasureIndent = "              ";

    private const string CardWithMeasure = """
        openbsc: 1
        scorecard:
          id: s
          name: S
          perspectives:
            - id: p
              name: P
              objectives:
                - id: o
                  name: O
                  measures:
                    - id: m
                      name: M

        """;

    [Fact]
    public void Parse_MisspelledField_ReportsUnknownFieldWithSuggestion()
    {
        var error = SingleError(CardWithMeasure + MeasureIndent + "targt: 9\n");

        Assert.Equal("card.yaml", error.File);
        Assert.Equal((14, 15), (error.Line, error.Column));
        Assert.Equal("scorecard.perspectives[0].objectives[0].measures[0].targt", error.Path);
        Assert.StartsWith("unknown field 'targt' (did you mean 'target'?); expected one of: id, name, description, unit,", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Target", "target")]
    [InlineData("tagret", "target")]
    [InlineData("valueProposition2", "valueProposition")]
    [InlineData("formulaaggregation", "formulaAggregation")]
    [InlineData("frquncy", "frequency")]
    public void Parse_FieldCloseToAKnownOne_SuggestsIt(string written, string suggested)
    {
        var error = SingleError(CardWithMeasure + MeasureIndent + $"{written}: 1\n");

        Assert.Contains($"(did you mean '{suggested}'?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FieldFarFromAnyKnownOne_ListsKnownFieldsOnly()
    {
        var error = SingleError(Minimal + "  colour: red\n");

        Assert.Equal(("scorecard.colour", 5, 3), (error.Path, error.Line, error.Column));
        Assert.Equal(
            "unknown field 'colour'; expected one of: id, name, mission, vision, values, calendar, missing, partialPeriods, overachievement, status, rollup, "
            + "segments, perspectives, links, tensions, initiatives, risks, cascade",
            error.Message);
    }

    [Theory]
    [InlineData("target: abc", "target", 14, 23, "expected a number, found 'abc'")]
    [InlineData("target: \"9\"", "target", 14, 23, "expected a number, found the quoted text '9'")]
    [InlineData("target: [9]", "target", 14, 23, "expected a number, found a list")]
    [InlineData("leading: maybe", "leading", 14, 24, "expected true or false, found 'maybe'")]
    [InlineData("name2: x", "name2", 14, 15, "unknown field 'name2' (did you mean 'name'?)")]
    [InlineData("weight: heavy", "weight", 14, 23, "expected a weight: a number, or a list such as [{ from: 2026-07-01, value: 2 }], found 'heavy'")]
    [InlineData("weight: [{ from: 2026-02-30, value: 2 }]", "weight[0].from", 14, 32, "'2026-02-30' is not a date: expected yyyy-MM-dd, such as 2026-07-01")]
    [InlineData("inherit: 0", "inherit", 14, 24, "expected true (carry the last value forward without limit), false, or a whole number of periods (1 or more), found '0'")]
    [InlineData("inherit: 1.5", "inherit", 14, 24, "found '1.5'")]
    [InlineData("direction: upward", "direction", 14, 26, "'upward' is not a direction; expected one of: increase, decrease, range")]
    [InlineData("frequency: halfyear", "frequency", 14, 26, "'halfyear' is not a frequency; expected one of: day, week, month, quarter, half-year, year")]
    [InlineData("concern: service", "concern", 14, 24, "'service' is not a customer concern; expected one of: time, quality, performance-service, cost")]
    [InlineData("outcome: share", "outcome", 14, 24, "expected one of: market-share, account-share, acquisition, retention, satisfaction, profitability")]
    [InlineData("formulaAggregation: inputs", "formulaAggregation", 14, 35, "expected one of: aggregate-inputs, aggregate-results")]
    [InlineData("targets: { 2026-13: 5 }", "targets.2026-13", 14, 26, "'2026-13' is not a period: expected " + Period.AcceptedForms)]
    [InlineData("targets: [5]", "targets", 14, 24, "expected targets by period such as")]
    [InlineData("scoring: linear", "scoring", 14, 24, "expected a scoring rule such as { type: linear } (a mapping of fields), found 'linear'")]
    [InlineData("scoring: { type: linear, goal: 5 }", "scoring.goal", 14, 40, "field 'goal' does not apply to scoring type 'linear'; its fields are: type")]
    [InlineData("scoring: { type: thresholds, goal: 5 }", "scoring.redFlag", 14, 24, "missing required field 'redFlag'")]
    [InlineData("scoring: { type: step }", "scoring.type", 14, 32, "'step' is not a scoring type; expected one of: linear, thresholds, range, ratio, points, binary, formula, none")]
    [InlineData("scoring: { type: points, points: [[10, 0.8], [20]] }", "scoring.points[1]", 14, 60, "expected a point [value, score] such as [20, 1.0], found a list")]
    [InlineData("status: [{ status: Blue }]", "status[0].status", 14, 34, "'Blue' is not a status; expected one of: Green, Yellow, Red")]
    [InlineData("status: [{ status: Red, when: scor >= 1 }]", "status[0].when", 14, 45, "'scor' is not a status variable; expected one of: score, progress, performance, value, percentOfTarget")]
    [InlineData("status: [{ status: Red, when: score => 1 }]", "status[0].when", 14, 45, "'score => 1' is not a status condition: expected '<variable> <operator> <number>'")]
    public void Parse_BadMeasureField_ReportsPathLineAndExpectation(string field, string path, int line, int column, string message)
    {
        var error = SingleError(CardWithMeasure + MeasureIndent + field + "\n");

        Assert.Equal("scorecard.perspectives[0].objectives[0].measures[0]." + path, error.Path);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadObservationPeriod_ReportsAcceptedForms()
    {
        var error = SingleError(Minimal + """
            observations:
              - { measure: m, period: 2026-01, value: 1 }
              - { measure: m, period: 2026-13, value: 1 }
            """);

        Assert.Equal(("observations[1].period", 7, 27), (error.Path, error.Line, error.Column));
        Assert.Equal("'2026-13' is not a period: expected " + Period.AcceptedForms, error.Message);
    }

    [Theory]
    [InlineData("{ period: 2026-01, value: 1 }", "observations[0].measure")]
    [InlineData("{ measure: m, value: 1 }", "observations[0].period")]
    [InlineData("{ measure: m, period: 2026-01 }", "observations[0].value")]
    [InlineData("{ measure: m, period: 2026-01, value: ~ }", "observations[0].value")]
    public void Parse_ObservationWithoutRequiredField_ReportsItAtTheObservation(string observation, string path)
    {
        var error = SingleError(Minimal + $"observations:\n  - {observation}\n");

        Assert.Equal((path, 6, 5), (error.Path, error.Line, error.Column));
        Assert.Equal($"missing required field '{path[(path.LastIndexOf('.') + 1)..]}'", error.Message);
    }

    [Theory]
    [InlineData("Cost_Per_Ticket")]
    [InlineData("cost--ticket")]
    [InlineData("-cost")]
    [InlineData("coût")]
    public void Parse_BadId_ReportsTheIdRule(string id)
    {
        var error = SingleError(CardWithMeasure.Replace("id: m", $"id: {id}", StringComparison.Ordinal));

        Assert.Equal(("scorecard.perspectives[0].objectives[0].measures[0].id", 12, 19), (error.Path, error.Line, error.Column));
        Assert.Equal($"'{id}' is not a valid id: expected lowercase letters and digits in words joined by single '-', such as cost-per-ticket", error.Message);
    }

    [Fact]
    public void Parse_MeasureWithoutName_ReportsMissingFieldAtTheMeasure()
    {
        var error = SingleError(CardWithMeasure.Replace(MeasureIndent + "name: M\n", string.Empty, StringComparison.Ordinal));

        Assert.Equal(("scorecard.perspectives[0].objectives[0].measures[0].name", 12, 15), (error.Path, error.Line, error.Column));
        Assert.Equal("missing required field 'name'", error.Message);
    }

    [Theory]
    [InlineData("scorecard:\n  id: s\n  name: S\n", 1, 1, "missing required field 'openbsc' (the format version); expected openbsc: 1")]
    [InlineData("openbsc: 2\nscorecard:\n  id: s\n  name: S\n", 1, 10, "unsupported format version 2; expected openbsc: 1")]
    [InlineData("openbsc: one\nscorecard:\n  id: s\n  name: S\n", 1, 10, "expected the format version 1, found 'one'")]
    public void Parse_VersionMissingOrNotOne_IsAnError(string yaml, int line, int column, string message)
    {
        var error = SingleError(yaml);

        Assert.Equal(("openbsc", line, column), (error.Path, error.Line, error.Column));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_WrongTypes_ReportsEachWithItsPath()
    {
        var result = ScorecardFileReader.Parse(Minimal + """
              values: Respect
              perspectives: { id: p }
              calendar: { fiscalYearStart: 13 }
              tensions: [{ between: [a, b, c] }]
              initiatives: [{ id: i, name: I, start: 2026-1-1 }]
            """, ScorecardFileFormat.Yaml, "card.yaml");

        Assert.Null(result.Data);
        Assert.Equal(
        [
            "card.yaml:5:11: scorecard.values: expected a list, found 'Respect'",
            "card.yaml:6:17: scorecard.perspectives: expected a list, found a mapping",
            "card.yaml:7:32: scorecard.calendar.fiscalYearStart: expected a month 1..12, found 13",
            "card.yaml:8:25: scorecard.tensions[0].between: expected exactly two ids [first, second], found 3",
            "card.yaml:9:42: scorecard.initiatives[0].start: '2026-1-1' is not a date: expected yyyy-MM-dd, such as 2026-07-01",
        ],
            result.Errors.Select(FileError.Format));
    }

    [Fact]
    public void Parse_ManyErrors_ReportsAllInFileOrder()
    {
        var result = ScorecardFileReader.Parse(CardWithMeasure + """
                          direction: up
                          target: x
                          segmnt: retail
            observations:
              - { measure: m, period: 2026-Q5, value: 1 }
            """, ScorecardFileFormat.Yaml, "card.yaml");

        Assert.Null(result.Data);
        Assert.Equal([14, 15, 16, 18], result.Errors.Select(e => e.Line ?? 0));
    }

    [Fact]
    public void Parse_TopLevelNotAMapping_IsAnError()
    {
        var error = SingleError("- just\n- a list\n");

        Assert.Equal((string.Empty, 1, 1), (error.Path, error.Line, error.Column));
        Assert.Equal("expected a scorecard file (a mapping of fields), found a list", error.Message);
    }

    [Theory]
    [InlineData("openbsc: 1\nscorecard:\n  id: s\n   name: S\n", 4, 8, "malformed YAML: While scanning a plain scalar value, found invalid mapping.")]
    [InlineData("openbsc: 1\nscorecard:\n  id: s\n  id: t\n", 4, 3, "field 'id' is given more than once; each field may appear once")]
    [InlineData("openbsc: 1\nscorecard: { id: s, name: \"S }\n", 2, 27, "malformed YAML: While scanning a quoted scalar, found unexpected end of stream.")]
    [InlineData("openbsc: 1\nscorecard:\n  values: [a, b\n  name: S\n", 4, 3, "malformed YAML: the text does not continue as expected here; check for an unclosed '[', '{' or quote above")]
    [InlineData("openbsc: 1\n---\nscorecard: {}\n", 3, 1, "expected one YAML document, found 2; a scorecard file holds one scorecard")]
    [InlineData("openbsc: 1\nscorecard:\n\tid: s\n", 3, 1, "malformed YAML: While scanning a mapping, found invalid tab as indentation.")]
    [InlineData("a: &x [*x]\n", 1, 8, "the alias *x refers to the value that contains it; a value cannot include itself")]
    [InlineData("a: [*y]\n", 1, 5, "the alias *y names no anchor written before it; expected '&y' earlier in the file")]
    public void Parse_MalformedYaml_ReportsLine(string yaml, int line, int column, string message)
    {
        var error = SingleError(yaml);

        Assert.Equal((string.Empty, line, column, message), (error.Path, error.Line, error.Column, error.Message));
    }

    [Fact]
    public void Parse_EmptyYaml_SaysWhatIsExpected()
    {
        var error = SingleError("# nothing yet\n");

        Assert.Equal("the file is empty; expected a scorecard starting with 'openbsc: 1'", error.Message);
    }

    [Fact]
    public void Parse_MalformedJson_ReportsLineAndColumn()
    {
        var result = ScorecardFileReader.Parse("""
            {
              "openbsc": 1,
              "scorecard": { "id": "s" "name": "S" }
            }
            """, ScorecardFileFormat.Json, "card.json");

        var error = Assert.Single(result.Errors);
        Assert.Null(result.Data);
        Assert.Equal((3, 28), (error.Line, error.Column));
        Assert.StartsWith("card.json:3:28: malformed JSON: ", FileError.Format(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonTypes_AreChecked()
    {
        var result = ScorecardFileReader.Parse("""
            {
              "openbsc": 1,
              "scorecard": {
                "id": "s",
                "name": 5,
                "overachievement": "1.2",
                "name": "again"
              },
              "observations": [{ "measure": "m", "period": true, "value": 1 }]
            }
            """, ScorecardFileFormat.Json, "card.json");

        Assert.Equal(
        [
            "card.json:5:13: scorecard.name: expected text, found '5'",
            "card.json:6:24: scorecard.overachievement: expected a number, found the quoted text '1.2'",
            "card.json:7:5: scorecard.name: field 'name' is given more than once; each field may appear once",
            "card.json:9:48: observations[0].period: expected a period: " + Period.AcceptedForms + "; found 'true'",
        ],
            result.Errors.Select(FileError.Format));
    }

    [Fact]
    public void Parse_JsonWithMultibyteText_CountsColumnsInCharacters()
    {
        var error = SingleJsonError("""{ "openbsc": 1, "organisation": "Zürich", "scorecard": { "id": "s", "name": "S", "x": 1 } }""");

        Assert.Equal(("scorecard.x", 1, 82), (error.Path, error.Line, error.Column));
    }

    private static FileError SingleError(string yaml)
    {
        var result = ScorecardFileReader.Parse(yaml, ScorecardFileFormat.Yaml, "card.yaml");
        Assert.Null(result.Data);
        return Assert.Single(result.Errors);
    }

    private static FileError SingleJsonError(string json)
    {
        var result = ScorecardFileReader.Parse(json, ScorecardFileFormat.Json, "card.json");
        Assert.Null(result.Data);
        return Assert.Single(result.Errors);
    }
}
