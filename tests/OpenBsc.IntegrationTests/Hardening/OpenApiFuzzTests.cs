using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>
/// The OpenAPI document drives a fuzz run against the real app (defect 11): for every operation it lists, the test makes
/// requests from the document's parameters and body schemas, mixing values that name real things (the demo's
/// scorecards, measures, periods, ids) with values of the wrong type, empty, huge, or not JSON at all; as an editor and
/// as a viewer, with and without a current ETag. Any 5xx fails, as does a status or a media type the document does not
/// list for the operation, and any stored change (a row added or removed in any table, an audit entry) after a refusal.
/// Seeded: one fixed seed makes every run the same requests (a failure names the request); OPENBSC_FUZZ_SEED=N runs another set.
/// </summary>
[Collection(nameof(Observations.SerialBulkImport))]
public sealed class OpenApiFuzzTests
{
    /// <summary>Thousands per run, yet well under a minute on a CI machine.</summary>
    private const int Requests = 2000;

    // A seed whose run reaches a taken PUT (a current ETag and a valid body are rare together): checked when it was chosen.
    private const int DefaultSeed = 2;

    [Fact]
    public async Task EveryOperation_GeneratedRequests_AsEditorAndViewer_GetOnlyDocumentedAnswers_AndRefusalsStoreNothing()
    {
        await using var app = await RunningApp.StartAsync();
        await app.AddUserAsync("fuzz-editor@test.example", AccessRole.Editor);
        await app.AddUserAsync("fuzz-viewer@test.example", AccessRole.Viewer);
        var callers = new[]
        {
            Caller(app, await app.CreateTokenAsync("fuzz-editor@test.example")),
            Caller(app, await app.CreateTokenAsync("fuzz-viewer@test.example")),
        };
        var document = JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToList();
        Assert.True(operations.Count > 40, $"only {operations.Count} operations in the document");
        var words = await WordsAsync(app);
        var fingerprint = Fingerprint(app);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // One seed for the whole run, so that a run is the same every time (and its coverage below cannot come and go
        // with luck); OPENBSC_FUZZ_SEED explores other runs.
        int seed = int.TryParse(Environment.GetEnvironmentVariable("OPENBSC_FUZZ_SEED"), CultureInfo.InvariantCulture, out int given) ? given : DefaultSeed;
        var master = new Random(seed);
        async Task CheckAsync((Operation Operation, int Caller, int ETag, int Seed) r)
        {
            var random = new Random(r.Seed);
            var operation = r.Operation;
            var client = callers[r.Caller];
            string url = Url(operation, words, random);
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), new Uri(url, UriKind.Relative));
            string? body = Body(operation, document, words, random, request);
            if (operation.Method is "PUT" or "DELETE" && r.ETag > 0)
            {
                // Mostly the current ETag (so that valid changes get through), sometimes one that never was.
                string? etag = r.ETag == 3 ? "\"999999\"" : await CurrentETagAsync(client, url);
                if (etag is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", etag);
                }
            }

            string before = operation.Method == "GET" ? "" : await fingerprint();
            using var response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            int status = (int)response.StatusCode;
            string said = $"(seed {seed}) {operation.Method} {url} as {(r.Caller == 0 ? "editor" : "viewer")}\nbody: {Cut(body)}\n→ {status} {response.Content.Headers.ContentType}: {Cut(text)}";
            seen.Add($"{operation.Method} {operation.Path} {status}");

            Assert.True(status < 500, said);
            Assert.True(operation.Responses.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var documented), $"status {status} is not in the document\n{said}");
            if (text.Length > 0 && documented is not null)
            {
                string type = response.Content.Headers.ContentType?.MediaType ?? "";
                Assert.True(documented.Contains(type), $"{type} is not a documented body of {status} ({string.Join(", ", documented)})\n{said}");
                if (type.EndsWith("json", StringComparison.Ordinal))
                {
                    var json = JsonNode.Parse(text);
                    if (status >= 400)
                    {
                        Assert.True(json?["title"] is not null && (int?)json["status"] == status, $"not a problem naming its status\n{said}");
                    }
                }
            }

            if (operation.Method != "GET" && status >= 400)
            {
                Assert.True(before == await fingerprint(), $"a refused request changed what is stored\n{said}");
            }
        }

        for (int i = 0; i < Requests; i++)
        {
            await CheckAsync((operations[master.Next(operations.Count)], master.Next(2), master.Next(4), master.Next()));
        }

        // The run reached the operations' insides, not only their doors: writes that were taken, and refusals.
        Assert.Contains(seen, s => s.StartsWith("POST ", StringComparison.Ordinal) && s.EndsWith(" 201", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.StartsWith("PUT ", StringComparison.Ordinal) && s.EndsWith(" 200", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.EndsWith(" 403", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.EndsWith(" 400", StringComparison.Ordinal));
    }

    private sealed record Operation(string Method, string Path, IReadOnlyList<JsonNode> Parameters, JsonObject? Body, IReadOnlyDictionary<string, HashSet<string>?> Responses);

    private static HttpClient Caller(RunningApp app, string token)
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description")
                {
                    continue;
                }

                var responses = node!["responses"]!.AsObject().ToDictionary(
                    r => r.Key,
                    r => r.Value?["content"] is JsonObject content ? content.Select(c => c.Key).ToHashSet(StringComparer.Ordinal) : null,
                    StringComparer.Ordinal);
                var parameters = (node["parameters"]?.AsArray() ?? []).Select(p => p!).ToList();
                yield return new Operation(method.ToUpperInvariant(), path, parameters, node["requestBody"]?["content"]?.AsObject(), responses);
            }
        }
    }

    /// <summary>Names the demo holds, so that requests reach past the first not-found.</summary>
    private sealed record Words(string[] Scorecards, string[] Items, string[] Periods);

    private static async Task<Words> WordsAsync(RunningApp app)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var cards = new List<string>();
        foreach (var card in JsonNode.Parse(await app.Client.GetStringAsync("/api/v1/scorecards"))!["items"]!.AsArray())
        {
            string key = (string)card!["key"]!;
            cards.Add(key);
            Collect(JsonNode.Parse(await app.Client.GetStringAsync($"/api/v1/scorecards/{key}/definition")), ids);
        }

        return new Words([.. cards], [.. ids.Order(StringComparer.Ordinal)], ["2026-01", "2026-05", "2025-11", "2026-Q1", "2025", "2026-W03"]);
    }

    private static void Collect(JsonNode? node, HashSet<string> ids)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    if (name == "id" && value is JsonValue v && v.TryGetValue<string>(out var id))
                    {
                        ids.Add(id);
                    }

                    Collect(value, ids);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Collect(item, ids);
                }

                break;
        }
    }

    private static readonly string[] Odd = ["", " ", "0", "-1", "1e3", "abc", "true", "null", "\u0000", "é", "🙂", "%", "..", new string('x', 300), "2026-13", "9999999999999999999"];

    private static readonly string[] FreeFields = ["id", "name", "perspective", "objective", "measure", "weight", "unit", "direction", "period", "value", "note", "kind", "from", "to", "target", "perspectives", "reason", "text", "title"];

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private static string Url(Operation operation, Words words, Random random)
    {
        string path = operation.Path;
        var query = new List<string>();
        foreach (var parameter in operation.Parameters)
        {
            string name = (string)parameter["name"]!;
            string place = (string)parameter["in"]!;
            bool required = (bool?)parameter["required"] ?? false;
            if (place == "path")
            {
                // An empty or dot segment would be another address (another operation's, or none), not a bad value.
                string value = Word(name, parameter["schema"], words, random);
                value = value is "" or "." or ".." ? "-" : value;
                path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            }
            else if (place == "query" && (required || random.Next(3) == 0))
            {
                query.Add($"{name}={Uri.EscapeDataString(Word(name, parameter["schema"], words, random))}");
            }
        }

        if (random.Next(20) == 0)
        {
            query.Add("unknown=1");
        }

        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    /// <summary>A value for a parameter or field: mostly one of its kind (a real scorecard for key, a period for period), sometimes odd.</summary>
    private static string Word(string name, JsonNode? schema, Words words, Random random)
    {
        if (random.Next(8) == 0)
        {
            return Pick(random, Odd);
        }

        string type = TypeOf(schema);
        string lower = name.ToLowerInvariant();
        return lower switch
        {
            "key" or "scorecard" or "from" => random.Next(6) == 0 ? "no-such-card" : Pick(random, words.Scorecards),
            "period" or "at" or "since" or "until" => Pick(random, words.Periods),
            _ when type is "integer" or "number" => Pick(random, (string[])["1", "2", "3", "0", "25", "100"]),
            _ when type == "boolean" => random.Next(2) == 0 ? "true" : "false",
            "format" => Pick(random, (string[])["csv", "xlsx", "json", "pdf"]),
            _ => random.Next(5) == 0 ? "no-such-" + lower : Pick(random, words.Items),
        };
    }

    private static string? FormatOf(JsonNode? schema) => schema is null ? null : (string?)schema["format"];

    private static string TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue v => (string)v!,
        JsonArray a => a.Select(t => (string)t!).FirstOrDefault(t => t != "null") ?? "null",
        _ => schema?["$ref"] is not null ? "object" : "string",
    };

    private static string? Body(Operation operation, JsonNode document, Words words, Random random, HttpRequestMessage request)
    {
        if (operation.Body is null)
        {
            return null;
        }

        var (type, content) = Pick(random, operation.Body.ToList());
        string text;
        if (random.Next(10) == 0)
        {
            // Not what the schema says at all.
            text = Pick(random, (string[])["", "{", "[]", "null", "42", "\"text\"", "{\"a\":{\"b\":{\"c\":[[[[]]]]}}}", "\u0000", "<xml/>"]);
            type = random.Next(4) == 0 ? Pick(random, (string[])["text/plain", "application/xml", "application/x-www-form-urlencoded"]) : type;
        }
        else if (type == "text/csv")
        {
            var lines = new List<string> { random.Next(6) == 0 ? "m,p,v" : "measure,period,value,note" };
            for (int i = random.Next(4); i > 0; i--)
            {
                lines.Add($"{Pick(random, words.Items)},{Pick(random, words.Periods)},{(random.Next(5) == 0 ? Pick(random, Odd) : random.Next(100).ToString(CultureInfo.InvariantCulture))},fuzz");
            }

            text = string.Join('\n', lines);
        }
        else if (type.StartsWith("multipart/", StringComparison.Ordinal) || type.Contains("spreadsheet", StringComparison.Ordinal))
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("measure,period,value\n" + Pick(random, words.Items) + ",2026-01,1\n")), "file", random.Next(3) == 0 ? "values.txt" : "values.csv" } };
            request.Content = type.StartsWith("multipart/", StringComparison.Ordinal) ? form : new ByteArrayContent([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]) { Headers = { ContentType = new MediaTypeHeaderValue(type) } };
            return type;
        }
        else
        {
            text = Json(content?["schema"], document, words, random, "body", 0)?.ToJsonString() ?? "null";
        }

        request.Content = new StringContent(text, Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return text;
    }

    private static JsonNode? Json(JsonNode? schema, JsonNode document, Words words, Random random, string name, int depth)
    {
        if (schema?["$ref"] is JsonValue reference)
        {
            schema = document["components"]!["schemas"]![((string)reference!)["#/components/schemas/".Length..]];
        }

        if (schema?["allOf"] is JsonArray all && all.Count > 0)
        {
            schema = all[0];
        }

        if ((schema?["oneOf"] ?? schema?["anyOf"]) is JsonArray one && one.Count > 0)
        {
            return Json(one[random.Next(one.Count)], document, words, random, name, depth);
        }

        if (random.Next(15) == 0)
        {
            // A value of the wrong type.
            return Pick(random, (JsonNode?[])[null, 1, "x", true, new JsonArray(), new JsonObject()])?.DeepClone();
        }

        if (schema?["enum"] is JsonArray choices && choices.Count > 0)
        {
            return choices[random.Next(choices.Count)]?.DeepClone();
        }

        switch (TypeOf(schema))
        {
            case "object" when depth < 4:
                var o = new JsonObject();
                var required = (schema?["required"]?.AsArray() ?? []).Select(r => (string)r!).ToHashSet(StringComparer.Ordinal);
                foreach (var (field, fieldSchema) in schema?["properties"]?.AsObject() ?? [])
                {
                    if (required.Contains(field) ? random.Next(12) != 0 : random.Next(3) != 0)
                    {
                        o[field] = Json(fieldSchema, document, words, random, field, depth + 1);
                    }
                }

                if (schema?["properties"] is null)
                {
                    // A free-form object (a scorecard file fragment): fields the editing API reads, with values of their kind or not.
                    for (int i = random.Next(5); i > 0; i--)
                    {
                        string field = Pick(random, FreeFields);
                        o[field] = random.Next(4) == 0 ? JsonValue.Create(random.Next(-1, 5)) : JsonValue.Create(Word(field, null, words, random));
                    }
                }

                return o;
            case "array" when depth < 4:
                var a = new JsonArray();
                for (int i = random.Next(3); i > 0; i--)
                {
                    a.Add(Json(schema?["items"], document, words, random, name, depth + 1));
                }

                return a;
            case "integer":
                return random.Next(10) == 0 ? JsonValue.Create(long.MaxValue) : JsonValue.Create(random.Next(-2, 50));
            case "number":
                return random.Next(10) == 0 ? JsonValue.Create(1e308) : JsonValue.Create(Math.Round(random.NextDouble() * 200 - 50, 2));
            case "boolean":
                return random.Next(2) == 0;
            case "string" when FormatOf(schema) == "date-time":
                return random.Next(5) == 0 ? "yesterday" : "2026-06-30T12:00:00Z";
            case "string":
                return Word(name, schema, words, random);
            default:
                return null;
        }
    }

    /// <summary>The current ETag of what a write addresses (its GET), when there is one.</summary>
    private static async Task<string?> CurrentETagAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url.Split('?')[0]);
        return response.Headers.ETag?.Tag;
    }

    /// <summary>Row counts of every table and the last audit entry, in one query: any stored change moves one of them.</summary>
    private static Func<Task<string>> Fingerprint(RunningApp app)
    {
        string? sql = null;
        return async () =>
        {
            await using var db = await app.Services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();
            sql ??= "SELECT " + string.Join(" || ',' || ", db.Model.GetEntityTypes()
                .Where(e => e.GetTableName() is not null && e.GetViewName() is null && !e.IsOwned())
                .Select(e => e.GetTableName()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(t => $"(SELECT COUNT(*) FROM \"{t}\")")) + " AS \"Value\"";
            return await db.Database.SqlQueryRaw<string>(sql).SingleAsync();
        };
    }

    private static string Cut(string? text) => text is null ? "(none)" : text.Length > 400 ? text[..400] + "…" : text;
}
