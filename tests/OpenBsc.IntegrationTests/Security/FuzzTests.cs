using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// Random and malformed input, seeded and reproducible (OPENBSC_FUZZ_SEED=N repeats a run; the seed and case are
/// in every failure): parsers never throw, the API never answers 500 and stores nothing it rejected.
/// </summary>
public sealed class FuzzTests
{
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("OPENBSC_FUZZ_SEED"), out int s) ? s : 20261130;

    private static readonly string[] Tokens = ["{", "}", "[", "]", ":", ",", "\"", "'", "- ", "\n", "  ", "null", "true", "1e999", "-0", "NaN", "&a", "*a", "!!binary", "%", "#", "\t", "\0", "\uFFFF", "😀", "id", "measures", "perspectives", "openbsc", "2026-13", "2026-Q5", "9999999999999999999999"];

    public static string Mutate(Random random, string text)
    {
        var s = new StringBuilder(text);
        int edits = random.Next(1, 6);
        for (int i = 0; i < edits && s.Length > 0; i++)
        {
            int at = random.Next(s.Length);
            switch (random.Next(6))
            {
                case 0: s.Remove(at, Math.Min(random.Next(1, 40), s.Length - at)); break;
                case 1: s.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                case 2: s[at] = (char)random.Next(0, 0x3000); break;
                case 3: s.Length = at; break;
                case 4: s.Insert(at, s.ToString(at, Math.Min(random.Next(1, 200), s.Length - at))); break;
                default: s.Insert(at, new string((char)random.Next(32, 127), random.Next(1, 30))); break;
            }
        }

        return s.ToString();
    }

    [Theory]
    [InlineData(ScorecardFileFormat.Yaml)]
    [InlineData(ScorecardFileFormat.Json)]
    public void ScorecardFileReader_10000MutatedFiles_NeverThrows(ScorecardFileFormat format)
    {
        string yaml = File.ReadAllText(Path.Combine(RepoRoot(), "examples", "customer-support.yaml"));
        string source = format == ScorecardFileFormat.Yaml ? yaml : ScorecardFileWriter.ToJson(ScorecardFileReader.Parse(yaml, ScorecardFileFormat.Yaml).Data!);
        var random = new Random(Seed);
        for (int i = 0; i < 10_000; i++)
        {
            string input = i % 10 == 0 ? RandomText(random) : Mutate(random, source);
            try
            {
                var result = ScorecardFileReader.Parse(input, format, "fuzz");
                Assert.True(result.IsValid || result.Errors.Count > 0, $"seed {Seed} case {i}: invalid without an error");
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed} case {i} ({format}): {e.GetType().Name}: {e.Message}");
            }
        }
    }

    [Fact]
    public async Task EditingApi_MalformedJsonBodies_No500AndNothingStored()
    {
        await using var app = await RunningApp.StartAsync();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        int observations = await db.Observations.CountAsync();
        long version = await db.Scorecards.Where(s => s.Key == "customer-support").Select(s => s.Version).SingleAsync();
        string[] valid = ["{\"period\":\"2040-01\",\"value\":1}", "{\"id\":\"fz\",\"name\":\"F\"}", "{\"value\":2,\"reason\":\"r\"}", "{\"id\":\"m-x\",\"name\":\"M\",\"target\":1}"];
        (HttpMethod Method, string Url)[] targets =
        [
            (HttpMethod.Post, "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations"),
            (HttpMethod.Put, "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations/2040-01"),
            (HttpMethod.Post, "/api/v1/scorecards/customer-support/what-if"),
            (HttpMethod.Put, "/api/v1/scorecards/customer-support/definition"),
            (HttpMethod.Post, "/api/v1/scorecards/customer-support/measures"),
        ];
        var random = new Random(Seed);
        for (int i = 0; i < 1_000; i++)
        {
            var (method, url) = targets[i % targets.Length];
            string body = Mutate(random, valid[random.Next(valid.Length)]);
            using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            string ifMatch = Mutate(random, "\"1\"");
            // A header can only carry ASCII (HttpClient refuses the rest before sending).
            request.Headers.TryAddWithoutValidation("If-Match", i % 2 == 0 || ifMatch.Any(c => c is < ' ' or > '~') ? "\"999\"" : ifMatch);
            using var response = await app.Client.SendAsync(request);
            Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"seed {Seed} case {i}: {method} {url} {body} → 500");
            string text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }

        Assert.Equal(version, await db.Scorecards.Where(s => s.Key == "customer-support").Select(s => s.Version).SingleAsync());
        Assert.False(await db.Observations.AnyAsync(o => o.Period == "2040-01" && o.Value != 1));
        Assert.True(await db.Observations.CountAsync() <= observations + 1);
    }

    private static string RandomText(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 400)).Select(_ => (char)random.Next(0, 0x800))]);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBsc.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
