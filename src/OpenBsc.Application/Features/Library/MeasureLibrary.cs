using System.Globalization;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using YamlDotNet.RepresentationModel;

namespace OpenBsc.Application.Features.Library;

/// <summary>An input of a calculated library measure: added beside it, with <c>scoring: none</c>.</summary>
public sealed record LibraryInput(string Id, string Name, string Unit, Direction Direction, Aggregation Aggregation);

/// <summary>A fully defined customer-perspective measure of the library (docs/library.md).</summary>
public sealed record LibraryMeasure
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Definition { get; init; }

    public required string Unit { get; init; }

    public Direction Direction { get; init; }

    public PeriodKind Frequency { get; init; }

    public Aggregation Aggregation { get; init; }

    public ScoringRule Scoring { get; init; } = ScoringRule.Linear;

    public CustomerConcern? Concern { get; init; }

    public CustomerOutcome? Outcome { get; init; }

    public ValueProposition? ValueProposition { get; init; }

    public bool Leading { get; init; }

    public string? Formula { get; init; }

    public IReadOnlyList<LibraryInput> Inputs { get; init; } = [];

    public IReadOnlyList<string> Sources { get; init; } = [];

    public bool IsCalculated => Formula is not null;
}

/// <summary>The customer measure library shipped as an embedded YAML file, read strictly (an error is a bug in the product).</summary>
public static class MeasureLibrary
{
    public const string ResourceName = "OpenBsc.Library.customer-measures.yaml";

    private static readonly string[] MeasureFields =
    [
        "id", "name", "definition", "unit", "direction", "frequency", "aggregation", "scoring", "concern", "outcome",
        "valueProposition", "leading", "formula", "inputs", "sources",
    ];

    private static readonly string[] InputFields = ["id", "name", "unit", "direction", "aggregation"];

    private static readonly string[] ScoringFields = ["type", "goal", "redFlag", "low", "high", "tolerance", "expression"];

    private static readonly Lazy<IReadOnlyList<LibraryMeasure>> Entries = new(Load);

    /// <summary>Every library measure, in file order.</summary>
    public static IReadOnlyList<LibraryMeasure> All => Entries.Value;

    /// <summary>The allowed spellings of the concern, outcome and value-proposition filters, for messages.</summary>
    public static string ConcernNames => ScorecardFileSchema.Concerns.Expected;

    public static string OutcomeNames => ScorecardFileSchema.Outcomes.Expected;

    public static string ValuePropositionNames => ScorecardFileSchema.ValuePropositions.Expected;

    public static bool TryParseConcern(string text, out CustomerConcern value) => ScorecardFileSchema.Concerns.TryParse(text, out value);

    public static bool TryParseOutcome(string text, out CustomerOutcome value) => ScorecardFileSchema.Outcomes.TryParse(text, out value);

    public static bool TryParseValueProposition(string text, out ValueProposition value) => ScorecardFileSchema.ValuePropositions.TryParse(text, out value);

    /// <summary>The scorecard-file spelling of a value ("performance-service", "half-year", …).</summary>
    public static string Spell(CustomerConcern value) => ScorecardFileSchema.Concerns.Name(value);

    public static string Spell(CustomerOutcome value) => ScorecardFileSchema.Outcomes.Name(value);

    public static string Spell(ValueProposition value) => ScorecardFileSchema.ValuePropositions.Name(value);

    public static string Spell(Direction value) => ScorecardFileSchema.Directions.Name(value);

    public static string Spell(PeriodKind value) => ScorecardFileSchema.Frequencies.Name(value);

    public static string Spell(Aggregation value) => ScorecardFileSchema.Aggregations.Name(value);

    public static string Spell(ScoringType value) => ScorecardFileSchema.ScoringTypes.Name(value);

    public static LibraryMeasure? Find(string id) =>
        All.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Entries matching every given filter; <paramref name="text"/> searches id, name and definition.</summary>
    public static IReadOnlyList<LibraryMeasure> Filter(
        CustomerConcern? concern = null, CustomerOutcome? outcome = null, ValueProposition? valueProposition = null, string? text = null) =>
        [.. All.Where(m =>
            (concern is null || m.Concern == concern)
            && (outcome is null || m.Outcome == outcome)
            && (valueProposition is null || m.ValueProposition == valueProposition)
            && (string.IsNullOrWhiteSpace(text)
                || m.Id.Contains(text, StringComparison.OrdinalIgnoreCase)
                || m.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                || m.Definition.Contains(text, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Up to 5 library ids close to <paramref name="id"/>: containing it, contained in it, or within a small edit distance.</summary>
    public static IReadOnlyList<string> Suggest(string id)
    {
        string wanted = id.ToLowerInvariant();
        return [.. All
            .Select(m => (m.Id, Rank: Rank(wanted, m.Id)))
            .Where(c => c.Rank <= Math.Max(3, wanted.Length / 3))
            .OrderBy(c => c.Rank)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(5)
            .Select(c => c.Id)];

        static int Rank(string wanted, string candidate)
        {
            if (wanted.Length == 0)
            {
                return int.MaxValue;
            }

            string initials = new([.. candidate.Split('-').Where(part => part.Length > 0).Select(part => part[0])]);
            if (candidate.Contains(wanted, StringComparison.Ordinal) || wanted.Contains(candidate, StringComparison.Ordinal)
                || string.Equals(initials, wanted, StringComparison.Ordinal))
            {
                return 0;
            }

            return Domain.Validation.ScorecardValidator.EditDistance(wanted, candidate);
        }
    }

    /// <summary>The entry as a scorecard measure plus its inputs (scoring none), ready to put under an objective.</summary>
    public static (Measure Measure, IReadOnlyList<Measure> Inputs) ToMeasure(LibraryMeasure entry, string? idOverride = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var measure = new Measure
        {
            Id = idOverride ?? entry.Id,
            Name = entry.Name,
            Description = entry.Definition,
            Unit = entry.Unit,
            Direction = entry.Direction,
            Frequency = entry.Frequency,
            Aggregation = entry.Aggregation,
            Scoring = entry.Scoring,
            Formula = entry.Formula,
            Concern = entry.Concern,
            Outcome = entry.Outcome,
            ValueProposition = entry.ValueProposition,
            Leading = entry.Leading,
        };
        IReadOnlyList<Measure> inputs = [.. entry.Inputs.Select(i => new Measure
        {
            Id = i.Id,
            Name = i.Name,
            Unit = i.Unit,
            Direction = i.Direction,
            Frequency = entry.Frequency,
            Aggregation = i.Aggregation,
            Scoring = new ScoringRule { Type = ScoringType.None },
        })];
        return (measure, inputs);
    }

    /// <summary>Reads the embedded library; any defect throws <see cref="InvalidOperationException"/> naming the entry and field.</summary>
    public static IReadOnlyList<LibraryMeasure> Load()
    {
        using var stream = typeof(MeasureLibrary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The measure library resource '{ResourceName}' is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Parses library text (the embedded file's format).</summary>
    public static IReadOnlyList<LibraryMeasure> Parse(string text)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(text))
        {
            yaml.Load(reader);
        }

        if (yaml.Documents.Count != 1 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidOperationException("measure library: expected one document with 'measures:'");
        }

        CheckFields(root, ["measures"], "measure library");
        if (Child(root, "measures") is not YamlSequenceNode list)
        {
            throw new InvalidOperationException("measure library: 'measures' must be a list");
        }

        var result = new List<LibraryMeasure>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlMappingNode node)
            {
                throw new InvalidOperationException($"measure library: measures[{i}] must be a mapping");
            }

            var entry = ReadMeasure(node, i);
            if (!ids.Add(entry.Id))
            {
                throw new InvalidOperationException($"measure library entry '{entry.Id}': duplicate id");
            }

            result.Add(entry);
        }

        return result;
    }

    private static LibraryMeasure ReadMeasure(YamlMappingNode node, int index)
    {
        string id = Scalar(node, "id", $"measures[{index}]") ?? throw new InvalidOperationException($"measure library: measures[{index}] has no id");
        string where = $"measure library entry '{id}'";
        CheckFields(node, MeasureFields, where);
        string Required(string field) => Scalar(node, field, where) ?? throw new InvalidOperationException($"{where}: field '{field}' is required");

        var concern = Optional(node, "concern", where, ScorecardFileSchema.Concerns);
        var outcome = Optional(node, "outcome", where, ScorecardFileSchema.Outcomes);
        var proposition = Optional(node, "valueProposition", where, ScorecardFileSchema.ValuePropositions);
        if (concern is null && outcome is null && proposition is null)
        {
            throw new InvalidOperationException($"{where}: field 'concern', 'outcome' or 'valueProposition' is required");
        }

        var inputs = new List<LibraryInput>();
        if (Child(node, "inputs") is { } inputsNode)
        {
            if (inputsNode is not YamlSequenceNode inputList)
            {
                throw new InvalidOperationException($"{where}: field 'inputs' must be a list");
            }

            foreach (var child in inputList.Children)
            {
                if (child is not YamlMappingNode input)
                {
                    throw new InvalidOperationException($"{where}: field 'inputs' must hold mappings");
                }

                string inputWhere = $"{where} input '{Scalar(input, "id", where)}'";
                CheckFields(input, InputFields, inputWhere);
                string InputRequired(string field) => Scalar(input, field, inputWhere) ?? throw new InvalidOperationException($"{inputWhere}: field '{field}' is required");
                inputs.Add(new LibraryInput(
                    InputRequired("id"),
                    InputRequired("name"),
                    InputRequired("unit"),
                    Enum(InputRequired("direction"), "direction", inputWhere, ScorecardFileSchema.Directions),
                    Enum(InputRequired("aggregation"), "aggregation", inputWhere, ScorecardFileSchema.Aggregations)));
            }
        }

        string? formula = Scalar(node, "formula", where);
        if ((formula is null) != (inputs.Count == 0))
        {
            throw new InvalidOperationException($"{where}: field 'formula' and field 'inputs' go together");
        }

        string leading = Required("leading");
        return new LibraryMeasure
        {
            Id = id,
            Name = Required("name"),
            Definition = Required("definition"),
            Unit = Required("unit"),
            Direction = Enum(Required("direction"), "direction", where, ScorecardFileSchema.Directions),
            Frequency = Enum(Required("frequency"), "frequency", where, ScorecardFileSchema.Frequencies),
            Aggregation = Enum(Required("aggregation"), "aggregation", where, ScorecardFileSchema.Aggregations),
            Scoring = ReadScoring(Child(node, "scoring") ?? throw new InvalidOperationException($"{where}: field 'scoring' is required"), where),
            Concern = concern,
            Outcome = outcome,
            ValueProposition = proposition,
            Leading = leading switch
            {
                "true" => true,
                "false" => false,
                _ => throw new InvalidOperationException($"{where}: field 'leading' must be true or false, found '{leading}'"),
            },
            Formula = formula,
            Inputs = inputs,
            Sources = Child(node, "sources") switch
            {
                null => [],
                YamlSequenceNode sources => [.. sources.Children.Select(s => (s as YamlScalarNode)?.Value
                    ?? throw new InvalidOperationException($"{where}: field 'sources' must be a list of texts"))],
                _ => throw new InvalidOperationException($"{where}: field 'sources' must be a list"),
            },
        };
    }

    private static ScoringRule ReadScoring(YamlNode node, string where)
    {
        if (node is not YamlMappingNode map)
        {
            throw new InvalidOperationException($"{where}: field 'scoring' must be a mapping like {{ type: linear }}");
        }

        string scoringWhere = where + " scoring";
        CheckFields(map, ScoringFields, scoringWhere);
        var type = Enum(Scalar(map, "type", scoringWhere) ?? throw new InvalidOperationException($"{where}: field 'scoring.type' is required"),
            "scoring.type", where, ScorecardFileSchema.ScoringTypes);
        if (type == ScoringType.Points)
        {
            throw new InvalidOperationException($"{where}: field 'scoring.type' points is not supported in the library");
        }

        return new ScoringRule
        {
            Type = type,
            Goal = Number(map, "goal", where),
            RedFlag = Number(map, "redFlag", where),
            Low = Number(map, "low", where),
            High = Number(map, "high", where),
            Tolerance = Number(map, "tolerance", where),
            Expression = Scalar(map, "expression", scoringWhere),
        };
    }

    private static double? Number(YamlMappingNode map, string field, string where)
    {
        string? text = Scalar(map, field, where);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InvalidOperationException($"{where}: field 'scoring.{field}' must be a number, found '{text}'");
    }

    private static T? Optional<T>(YamlMappingNode node, string field, string where, Spelling<T> spelling)
        where T : struct, Enum =>
        Scalar(node, field, where) is { } text ? Enum(text, field, where, spelling) : null;

    private static T Enum<T>(string text, string field, string where, Spelling<T> spelling)
        where T : struct, Enum =>
        spelling.TryParse(text, out var value) && spelling.Name(value) == text
            ? value
            : throw new InvalidOperationException($"{where}: field '{field}' has '{text}': expected {spelling.Expected}");

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string field, string where) => Child(node, field) switch
    {
        null => null,
        YamlScalarNode scalar when !string.IsNullOrWhiteSpace(scalar.Value) => scalar.Value,
        _ => throw new InvalidOperationException($"{where}: field '{field}' must be a non-empty text"),
    };

    private static void CheckFields(YamlMappingNode node, string[] allowed, string where)
    {
        foreach (var key in node.Children.Keys)
        {
            string name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"{where}: unknown field '{name}': expected {string.Join(", ", allowed)}");
            }
        }
    }
}
