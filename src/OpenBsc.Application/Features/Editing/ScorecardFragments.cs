using System.Text.Json.Nodes;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Application.Features.Editing;

/// <summary>What reading a fragment gave: the item, or errors keyed by the field path inside the fragment.</summary>
public sealed record FragmentResult<T>(T? Item, IReadOnlyList<DefinitionError> Errors)
    where T : class
{
    public bool IsValid => Item is not null && Errors.Count == 0;
}

/// <summary>
/// One item of a scorecard (a perspective, objective, measure, link, tension, initiative or risk) as the piece of a
/// scorecard file that describes it: the API and the editor speak the file's own field names and spellings,
/// so there is one schema to learn and one reader to trust. Reading places the fragment in a minimal file and
/// reads it with the file reader; writing writes a minimal file and takes the piece out.
/// </summary>
public static class ScorecardFragments
{
    private const string Placeholder = "x";

    /// <summary>A perspective's own fields (its objectives are items of their own).</summary>
    public static JsonObject ToJson(Perspective perspective) =>
        Extract(Card([perspective with { Objectives = [] }]), "perspectives", 0);

    /// <summary>An objective's own fields (its sub-objectives and measures are items of their own).</summary>
    public static JsonObject ToJson(Objective objective) =>
        Extract(Card([Holder([objective with { Objectives = [], Measures = [] }], [])]), "perspectives", 0, "objectives", 0);

    public static JsonObject ToJson(Measure measure) =>
        Extract(Card([Holder([new Objective { Id = Placeholder, Name = Placeholder, Measures = [measure] }], [])]), "perspectives", 0, "objectives", 0, "measures", 0);

    public static JsonObject ToJson(CauseEffectLink link) =>
        Extract(new Scorecard { Id = Placeholder, Name = Placeholder, Links = [link] }, "links", 0);

    public static JsonObject ToJson(Tension tension) =>
        Extract(new Scorecard { Id = Placeholder, Name = Placeholder, Tensions = [tension] }, "tensions", 0);

    public static JsonObject ToJson(Initiative initiative) =>
        Extract(new Scorecard { Id = Placeholder, Name = Placeholder, Initiatives = [initiative] }, "initiatives", 0);

    public static JsonObject ToJson(Risk risk) =>
        Extract(new Scorecard { Id = Placeholder, Name = Placeholder, Risks = [risk] }, "risks", 0);

    public static FragmentResult<Perspective> ReadPerspective(JsonNode? body) =>
        Read(body, (s, f) => s["perspectives"] = new JsonArray(f), c => c.Perspectives.Single(), "scorecard.perspectives[0]");

    public static FragmentResult<Objective> ReadObjective(JsonNode? body) =>
        Read(body, (s, f) => s["perspectives"] = new JsonArray(new JsonObject { ["id"] = Placeholder, ["name"] = Placeholder, ["objectives"] = new JsonArray(f) }),
            c => c.Perspectives[0].Objectives.Single(), "scorecard.perspectives[0].objectives[0]");

    public static FragmentResult<Measure> ReadMeasure(JsonNode? body) =>
        Read(body, (s, f) => s["perspectives"] = new JsonArray(new JsonObject
        {
            ["id"] = Placeholder,
            ["name"] = Placeholder,
            ["objectives"] = new JsonArray(new JsonObject { ["id"] = Placeholder + "o", ["name"] = Placeholder, ["measures"] = new JsonArray(f) }),
        }), c => c.Perspectives[0].Objectives[0].Measures.Single(), "scorecard.perspectives[0].objectives[0].measures[0]");

    public static FragmentResult<CauseEffectLink> ReadLink(JsonNode? body) =>
        Read(body, (s, f) => s["links"] = new JsonArray(f), c => c.Links.Single(), "scorecard.links[0]");

    public static FragmentResult<Tension> ReadTension(JsonNode? body) =>
        Read(body, (s, f) => s["tensions"] = new JsonArray(f), c => c.Tensions.Single(), "scorecard.tensions[0]");

    public static FragmentResult<Initiative> ReadInitiative(JsonNode? body) =>
        Read(body, (s, f) => s["initiatives"] = new JsonArray(f), c => c.Initiatives.Single(), "scorecard.initiatives[0]");

    public static FragmentResult<Risk> ReadRisk(JsonNode? body) =>
        Read(body, (s, f) => s["risks"] = new JsonArray(f), c => c.Risks.Single(), "scorecard.risks[0]");

    /// <summary>A whole definition as the scorecard file (JSON, without observations).</summary>
    public static string ToFile(Scorecard card) => ScorecardFileWriter.ToJson(new ScorecardData(card, []));

    private static Scorecard Card(IReadOnlyList<Perspective> perspectives) => new() { Id = Placeholder, Name = Placeholder, Perspectives = perspectives };

    private static Perspective Holder(IReadOnlyList<Objective> objectives, IReadOnlyList<Measure> measures) =>
        new() { Id = Placeholder, Name = Placeholder, Objectives = objectives.Count > 0 ? objectives : [new Objective { Id = Placeholder, Name = Placeholder, Measures = measures }] };

    private static JsonObject Extract(Scorecard card, params object[] path)
    {
        JsonNode node = JsonNode.Parse(ToFile(card))!["scorecard"]!;
        foreach (object step in path)
        {
            node = step is string name ? node[name]! : node[(int)step]!;
        }

        return node.DeepClone().AsObject();
    }

    private static FragmentResult<T> Read<T>(JsonNode? body, Action<JsonObject, JsonNode> place, Func<Scorecard, T> take, string prefix)
        where T : class
    {
        if (body is not JsonObject fragment)
        {
            return new(null, [new DefinitionError(string.Empty, "expected a JSON object with the item's fields, as in the scorecard file")]);
        }

        var scorecard = new JsonObject { ["id"] = Placeholder, ["name"] = Placeholder };
        place(scorecard, fragment.DeepClone());
        var file = new JsonObject { ["openbsc"] = 1, ["scorecard"] = scorecard };
        var result = ScorecardFileReader.Parse(file.ToJsonString(), ScorecardFileFormat.Json, "request body");
        if (result.Data is { } data && result.IsValid)
        {
            return new(take(data.Scorecard), []);
        }

        return new(null, [.. result.Errors.Select(e => new DefinitionError(Relative(e.Path, prefix), e.Message))]);
    }

    private static string Relative(string path, string prefix) =>
        path == prefix ? string.Empty
        : path.StartsWith(prefix + ".", StringComparison.Ordinal) ? path[(prefix.Length + 1)..]
        : path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..]
        : path;
}
