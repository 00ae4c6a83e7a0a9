using OpenBsc.Application.Features.Library;
using OpenBsc.Domain.Formulas;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Domain.Validation;

namespace OpenBsc.IntegrationTests.Library;

/// <summary>The shipped customer measure library: complete, covering, and each entry valid and computing right.</summary>
public sealed class MeasureLibraryTests
{
    public static TheoryData<string> Calculated => [.. MeasureLibrary.All.Where(m => m.IsCalculated).Select(m => m.Id)];

    public static TheoryData<string> Every => [.. MeasureLibrary.All.Select(m => m.Id)];

    [Fact]
    public void Loads_WithAtLeastSixtyEntries()
    {
        var all = MeasureLibrary.Load();

        Assert.True(all.Count >= 60, $"only {all.Count} entries");
        Assert.Equal(all.Count, MeasureLibrary.All.Count);
    }

    [Fact]
    public void Ids_AreUniqueAndValid()
    {
        var ids = MeasureLibrary.All.Select(m => m.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.True(ScorecardValidator.IsValidId(id), id));
        var inputIds = MeasureLibrary.All.SelectMany(m => m.Inputs).Select(i => i.Id).ToList();
        Assert.All(inputIds, id => Assert.True(ScorecardValidator.IsValidId(id), id));

        // Distinct across the library, so several calculated entries can go into one scorecard.
        Assert.Equal(inputIds.Count, inputIds.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(inputIds.Intersect(ids, StringComparer.Ordinal));
    }

    [Fact]
    public void EveryEntry_IsComplete()
    {
        Assert.All(MeasureLibrary.All, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Name), m.Id);
            Assert.False(string.IsNullOrWhiteSpace(m.Definition), m.Id);
            Assert.False(string.IsNullOrWhiteSpace(m.Unit), m.Id);
            Assert.True(m.Concern is not null || m.Outcome is not null || m.ValueProposition is not null, m.Id);
            Assert.Equal(m.Formula is not null, m.Inputs.Count > 0);
        });
    }

    [Fact]
    public void Coverage_MeetsTheMinimumPerCategory()
    {
        var all = MeasureLibrary.All;

        Assert.All(Enum.GetValues<CustomerConcern>(), c => Assert.True(all.Count(m => m.Concern == c) >= 6, $"concern {c}"));
        Assert.All(Enum.GetValues<CustomerOutcome>(), o => Assert.True(all.Count(m => m.Outcome == o) >= 4, $"outcome {o}"));
        Assert.All(Enum.GetValues<ValueProposition>(), v => Assert.True(all.Count(m => m.ValueProposition == v) >= 2, $"value proposition {v}"));
        Assert.True(all.Count(m => m.IsCalculated) >= 8);
    }

    [Fact]
    public void EveryFormula_ParsesAndUsesOnlyItsInputs()
    {
        Assert.All(MeasureLibrary.All.Where(m => m.IsCalculated), m =>
        {
            Assert.True(Formula.TryParse(m.Formula!, out var formula, out var error), $"{m.Id}: {error}");
            Assert.Equal(
                m.Inputs.Select(i => i.Id).Order(StringComparer.Ordinal),
                formula.Parameters.Order(StringComparer.Ordinal));
        });
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void EveryEntry_ConvertedByToMeasure_IsAValidScorecard(string id)
    {
        var data = Card(MeasureLibrary.Find(id)!, []);

        Assert.Empty(ScorecardValidator.Validate(data));
    }

    [Theory]
    [MemberData(nameof(Calculated))]
    public void CalculatedEntry_EngineMatchesTheFormula(string id)
    {
        var entry = MeasureLibrary.Find(id)!;
        var samples = entry.Inputs.Select((input, i) => (input.Id, Value: 40.0 + (17 * i))).ToDictionary(s => s.Id, s => s.Value);

        double? engine = Compute(entry, samples);
        double? expected = Formula.Parse(entry.Formula!).Evaluate(name => samples[name]);

        Assert.NotNull(expected);
        Assert.NotNull(engine);
        Assert.Equal(expected.Value, engine.Value, 9);
    }

    [Theory]
    [InlineData("net-promoter-score", "promoters-pct", 52, "detractors-pct", 12, 40)]
    [InlineData("customer-retention-rate", "customers-retained", 90, "customers-at-start", 120, 75)]
    [InlineData("cost-per-acquisition", "acquisition-spend", 5000, "new-customers-won", 50, 100)]
    [InlineData("customer-profitability", "customer-revenue", 12000, "customer-expense", 9500, 2500)]
    public void CalculatedEntry_GivesTheHandComputedValue(string id, string first, double a, string second, double b, double expected)
    {
        var entry = MeasureLibrary.Find(id)!;

        double? value = Compute(entry, new Dictionary<string, double> { [first] = a, [second] = b });

        Assert.Equal(expected, value!.Value, 9);
    }

    [Fact]
    public void ToMeasure_CarriesTheFieldsAndGivesInputsWithoutScoring()
    {
        var entry = MeasureLibrary.Find("on-time-delivery")!;

        var (measure, inputs) = MeasureLibrary.ToMeasure(entry, "otd");

        Assert.Equal("otd", measure.Id);
        Assert.Equal(entry.Definition, measure.Description);
        Assert.Equal(CustomerConcern.Time, measure.Concern);
        Assert.Equal(ValueProposition.Time, measure.ValueProposition);
        Assert.Equal(ScoringType.Thresholds, measure.Scoring.Type);
        Assert.Equal(entry.Formula, measure.Formula);
        Assert.Equal(2, inputs.Count);
        Assert.All(inputs, i => Assert.Equal(ScoringType.None, i.Scoring.Type));
    }

    [Fact]
    public void FindFilterSuggest_Work()
    {
        Assert.NotNull(MeasureLibrary.Find("market-share"));
        Assert.Null(MeasureLibrary.Find("no-such-measure"));
        Assert.All(MeasureLibrary.Filter(concern: CustomerConcern.Time), m => Assert.Equal(CustomerConcern.Time, m.Concern));
        Assert.All(MeasureLibrary.Filter(outcome: CustomerOutcome.Retention, text: "loyal"), m => Assert.Equal(CustomerOutcome.Retention, m.Outcome));
        Assert.NotEmpty(MeasureLibrary.Filter(text: "promoter"));
        Assert.Contains("churn-rate", MeasureLibrary.Suggest("churn"));
        Assert.Contains("net-promoter-score", MeasureLibrary.Suggest("nps"));
        Assert.Contains("market-share", MeasureLibrary.Suggest("market-shar"));
        Assert.True(MeasureLibrary.Suggest("response").Count <= 5);
    }

    [Fact]
    public void Parse_RejectsUnknownFieldsAndBadEnumsNamingEntryAndField()
    {
        const string Good = """
            measures:
              - id: x
                name: X
                definition: An x.
                unit: "%"
                direction: increase
                frequency: month
                aggregation: sum
                scoring: { type: linear }
                concern: time
                leading: true
            """;
        Assert.Single(MeasureLibrary.Parse(Good));

        var unknown = Assert.Throws<InvalidOperationException>(() => MeasureLibrary.Parse(Good + "\n    colour: red"));
        Assert.Contains("'x'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("colour", unknown.Message, StringComparison.Ordinal);

        var badEnum = Assert.Throws<InvalidOperationException>(() => MeasureLibrary.Parse(Good.Replace("concern: time", "concern: speed", StringComparison.Ordinal)));
        Assert.Contains("'x'", badEnum.Message, StringComparison.Ordinal);
        Assert.Contains("concern", badEnum.Message, StringComparison.Ordinal);
    }

    private static ScorecardData Card(LibraryMeasure entry, IReadOnlyList<Observation> observations)
    {
        var (measure, inputs) = MeasureLibrary.ToMeasure(entry);
        var card = new Scorecard
        {
            Id = "library-test",
            Name = "Library test",
            Perspectives =
            [
                new Perspective
                {
                    Id = "customer",
                    Name = "Customer",
                    Objectives = [new Objective { Id = "objective", Name = "Objective", Measures = [measure, .. inputs] }],
                },
            ],
        };
        return new ScorecardData(card, observations);
    }

    private static double? Compute(LibraryMeasure entry, IReadOnlyDictionary<string, double> samples)
    {
        var period = Period.Containing(entry.Frequency, new DateOnly(2026, 1, 1), FiscalCalendar.Gregorian);
        var data = Card(entry, [.. samples.Select(s => new Observation(s.Key, period, s.Value))]);
        Assert.Empty(ScorecardValidator.Validate(data));

        return ScorecardModel.Build(data).Evaluate(new PeriodView(period))[entry.Id].Value;
    }
}
