using System.Globalization;
using System.Text.Json.Nodes;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>The OpenAPI document says how to authenticate, what the import reads, and times carry their offset (defect 11).</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Document_NamesBothWaysIn_TheImportBody_AndTheSharedProblems()
    {
        await using var app = await RunningApp.StartAsync(demo: false);

        var document = JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json"))!;

        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("bearer", (string)schemes["token"]!["scheme"]!);
        Assert.Equal("cookie", (string)schemes["session"]!["in"]!);
        Assert.Equal(2, document["security"]!.AsArray().Count);
        var import = document["paths"]!["/api/v1/scorecards/{key}/observations/import"]!["post"]!;
        Assert.Equal(["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "multipart/form-data"], import["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403") && responses.ContainsKey("503"), $"{method} {path}: {string.Join(", ", responses.Select(r => r.Key))}");
            }
        }
    }

    [Fact]
    public async Task Times_CarryTheirUtcOffset()
    {
        await using var app = await RunningApp.StartAsync();

        var card = JsonNode.Parse(await app.Client.GetStringAsync("/api/v1/scorecards/customer-support"))!;
        var observations = JsonNode.Parse(await app.Client.GetStringAsync("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations"))!;

        string updatedAt = (string)(card["updatedAt"] ?? card["scorecard"]?["updatedAt"])!;
        string enteredAt = (string)observations["items"]![0]!["enteredAt"]!;
        foreach (string time in new[] { updatedAt, enteredAt })
        {
            Assert.EndsWith("Z", time, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(time, CultureInfo.InvariantCulture).Offset);
        }
    }
}
