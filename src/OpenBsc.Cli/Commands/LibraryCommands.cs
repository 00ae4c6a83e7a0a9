using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBsc.Application.Features.Library;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Scorecards;
using Spectre.Console;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>The JSON form of a library measure: every field, enums in scorecard-file spelling.</summary>
internal sealed record LibraryMeasureJson(
    string Id,
    string Name,
    string Definition,
    string Unit,
    string Direction,
    string Frequency,
    string Aggregation,
    LibraryScoringJson Scoring,
    string? Concern,
    string? Outcome,
    string? ValueProposition,
    bool Leading,
    string? Formula,
    IReadOnlyList<LibraryInputJson> Inputs,
    IReadOnlyList<string> Sources)
{
    public static LibraryMeasureJson From(LibraryMeasure m) => new(
        m.Id,
        m.Name,
        m.Definition,
        m.Unit,
        MeasureLibrary.Spell(m.Direction),
        MeasureLibrary.Spell(m.Frequency),
        MeasureLibrary.Spell(m.Aggregation),
        new LibraryScoringJson(MeasureLibrary.Spell(m.Scoring.Type), m.Scoring.Goal, m.Scoring.RedFlag, m.Scoring.Low, m.Scoring.High, m.Scoring.Tolerance, m.Scoring.Expression),
        m.Concern is { } c ? MeasureLibrary.Spell(c) : null,
        m.Outcome is { } o ? MeasureLibrary.Spell(o) : null,
        m.ValueProposition is { } v ? MeasureLibrary.Spell(v) : null,
        m.Leading,
        m.Formula,
        [.. m.Inputs.Select(i => new LibraryInputJson(i.Id, i.Name, i.Unit, MeasureLibrary.Spell(i.Direction), MeasureLibrary.Spell(i.Aggregation)))],
        m.Sources);
}

internal sealed record LibraryScoringJson(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Goal,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RedFlag,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Low,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? High,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Tolerance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Expression);

internal sealed record LibraryInputJson(string Id, string Name, string Unit, string Direction, string Aggregation);

internal static class LibraryOutput
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>"concern / outcome / attribute" in file spelling, blanks as "-".</summary>
    public static string Categories(LibraryMeasure m) => string.Join(" / ",
        m.Concern is { } c ? MeasureLibrary.Spell(c) : "-",
        m.Outcome is { } o ? MeasureLibrary.Spell(o) : "-",
        m.ValueProposition is { } v ? MeasureLibrary.Spell(v) : "-");

    public static string Scoring(ScoringRule s)
    {
        var text = new StringBuilder("{ type: ").Append(MeasureLibrary.Spell(s.Type));
        void Add(string name, double? value)
        {
            if (value is { } v)
            {
                text.Append(", ").Append(name).Append(": ").Append(v.ToString(CultureInfo.InvariantCulture));
            }
        }

        Add("goal", s.Goal);
        Add("redFlag", s.RedFlag);
        Add("low", s.Low);
        Add("high", s.High);
        Add("tolerance", s.Tolerance);
        if (s.Expression is not null)
        {
            text.Append(", expression: \"").Append(s.Expression).Append('"');
        }

        return text.Append(" }").ToString();
    }

    /// <summary>The measure and its inputs as the items of a scorecard file's <c>measures:</c> list.</summary>
    public static string Snippet(LibraryMeasure entry)
    {
        var (measure, inputs) = MeasureLibrary.ToMeasure(entry);
        var card = new Scorecard
        {
            Id = "library",
            Name = "Library",
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
        string yaml = ScorecardFileWriter.ToYaml(new ScorecardData(card, []));
        string[] lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimStart().StartsWith("measures:", StringComparison.Ordinal));
        if (start < 0)
        {
            return yaml;
        }

        int keyIndent = lines[start].Length - lines[start].TrimStart().Length;
        var items = lines.Skip(start + 1).TakeWhile(l => l.Trim().Length > 0 && l.Length - l.TrimStart().Length > keyIndent
            || l.Length - l.TrimStart().Length == keyIndent && l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();
        int indent = items.Count == 0 ? 0 : items.Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', items.Select(l => l[indent..]));
    }
}

/// <summary><c>openbsc library list [--concern C] [--outcome O] [--value-proposition V] [--search TEXT] [--json]</c>.</summary>
public sealed class LibraryListCommand : Command<LibraryListCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--concern <CONCERN>")]
        [Description("Only measures of this customer concern: time, quality, performance-service or cost.")]
        public string? Concern { get; init; }

        [CommandOption("--outcome <OUTCOME>")]
        [Description("Only measures of this core outcome: market-share, account-share, acquisition, retention, satisfaction or profitability.")]
        public string? Outcome { get; init; }

        [CommandOption("--value-proposition <ATTRIBUTE>")]
        [Description("Only measures of this value-proposition attribute: price, quality, time, functionality, service, relationship or image.")]
        public string? ValueProposition { get; init; }

        [CommandOption("--search <TEXT>")]
        [Description("Only measures whose id, name or definition contains TEXT.")]
        public string? Search { get; init; }

        [CommandOption("--json")]
        [Description("Print a JSON array with every field instead of the table.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        CustomerConcern? concern = null;
        CustomerOutcome? outcome = null;
        ValueProposition? proposition = null;
        if (settings.Concern is not null)
        {
            if (!MeasureLibrary.TryParseConcern(settings.Concern, out var c))
            {
                return Report.InvalidOption($"--concern '{settings.Concern}' is not a customer concern: expected {MeasureLibrary.ConcernNames}.");
            }

            concern = c;
        }

        if (settings.Outcome is not null)
        {
            if (!MeasureLibrary.TryParseOutcome(settings.Outcome, out var o))
            {
                return Report.InvalidOption($"--outcome '{settings.Outcome}' is not a customer outcome: expected {MeasureLibrary.OutcomeNames}.");
            }

            outcome = o;
        }

        if (settings.ValueProposition is not null)
        {
            if (!MeasureLibrary.TryParseValueProposition(settings.ValueProposition, out var v))
            {
                return Report.InvalidOption($"--value-proposition '{settings.ValueProposition}' is not a value-proposition attribute: expected {MeasureLibrary.ValuePropositionNames}.");
            }

            proposition = v;
        }

        var measures = MeasureLibrary.Filter(concern, outcome, proposition, settings.Search);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(measures.Select(LibraryMeasureJson.From).ToList(), LibraryOutput.Json));
            return ExitCodes.Success;
        }

        var table = new Table()
            .AddColumn(new TableColumn("id").NoWrap())
            .AddColumn("name")
            .AddColumn("concern / outcome / attribute")
            .AddColumn("unit")
            .AddColumn("direction")
            .AddColumn("leading");
        foreach (var m in measures)
        {
            table.AddRow(
                Markup.Escape(m.Id),
                Markup.Escape(m.Name),
                Markup.Escape(LibraryOutput.Categories(m)),
                Markup.Escape(m.Unit),
                MeasureLibrary.Spell(m.Direction),
                m.Leading ? "yes" : "no");
        }

        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"{measures.Count} of {MeasureLibrary.All.Count} library measures");
        return ExitCodes.Success;
    }
}

/// <summary><c>openbsc library show ID [--json]</c>: every field and the YAML to paste under <c>measures:</c>.</summary>
public sealed class LibraryShowCommand : Command<LibraryShowCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("A library measure id, e.g. net-promoter-score.")]
        public string Id { get; init; } = string.Empty;

        [CommandOption("--json")]
        [Description("Print the measure as JSON.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var entry = MeasureLibrary.Find(settings.Id);
        if (entry is null)
        {
            var close = MeasureLibrary.Suggest(settings.Id);
            return Report.InvalidOption(close.Count == 0
                ? $"no library measure '{settings.Id}'; see 'openbsc library list'"
                : $"no library measure '{settings.Id}'; did you mean: {string.Join(", ", close)}");
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(LibraryMeasureJson.From(entry), LibraryOutput.Json));
            return ExitCodes.Success;
        }

        var o = Console.Out;
        o.WriteLine($"{entry.Id}: {entry.Name}");
        o.WriteLine($"  definition:       {entry.Definition}");
        o.WriteLine($"  unit:             {entry.Unit}");
        o.WriteLine($"  direction:        {MeasureLibrary.Spell(entry.Direction)}");
        o.WriteLine($"  frequency:        {MeasureLibrary.Spell(entry.Frequency)}");
        o.WriteLine($"  aggregation:      {MeasureLibrary.Spell(entry.Aggregation)}");
        o.WriteLine($"  scoring:          {LibraryOutput.Scoring(entry.Scoring)}");
        o.WriteLine($"  concern:          {(entry.Concern is { } c ? MeasureLibrary.Spell(c) : "-")}");
        o.WriteLine($"  outcome:          {(entry.Outcome is { } oc ? MeasureLibrary.Spell(oc) : "-")}");
        o.WriteLine($"  valueProposition: {(entry.ValueProposition is { } v ? MeasureLibrary.Spell(v) : "-")}");
        o.WriteLine($"  leading:          {(entry.Leading ? "true" : "false")}");
        if (entry.Formula is not null)
        {
            o.WriteLine($"  formula:          {entry.Formula}");
            o.WriteLine("  inputs:");
            foreach (var input in entry.Inputs)
            {
                o.WriteLine($"    - {input.Id}: {input.Name} ({input.Unit}, {MeasureLibrary.Spell(input.Direction)}, {MeasureLibrary.Spell(input.Aggregation)})");
            }
        }

        if (entry.Sources.Count > 0)
        {
            o.WriteLine($"  sources:          {string.Join("; ", entry.Sources)}");
        }

        o.WriteLine();
        o.WriteLine("Paste under an objective's 'measures:' in a scorecard file:");
        o.WriteLine(LibraryOutput.Snippet(entry));
        return ExitCodes.Success;
    }
}
