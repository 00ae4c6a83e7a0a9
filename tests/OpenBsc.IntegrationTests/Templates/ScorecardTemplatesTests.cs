using OpenBsc.Application.Data;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Templates;
using OpenBsc.Domain.Customers;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;
using OpenBsc.IntegrationTests.Cli;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Templates;

public abstract class ScorecardTemplatesTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : ScorecardTemplatesTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : ScorecardTemplatesTests(DatabaseProvider.Postgres);

    public static TheoryData<string> Names() => [.. ScorecardTemplates.Names];

    [Fact]
    public void Names_AreTheFiveTemplates()
    {
        Assert.Equal(["customer-support", "for-profit", "loyalty-retention", "municipality", "nonprofit"], ScorecardTemplates.Names);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Template_ValidatesCoversTheCustomerConcernsAndScores(string name)
    {
        var result = ScorecardTemplates.Read(name);

        Assert.Empty(result.Errors);
        var data = result.Data!;
        Assert.Empty(CustomerCoverage.Check(data.Scorecard).Warnings);
        Assert.True(data.Observations.Count >= 12 * 8, "a year of sample data");
        var evaluation = ScorecardModel.Build(data).Evaluate(new PeriodView(Period.Parse("2026-Q3")));
        Assert.NotNull(evaluation[0].Score);
        for (int i = 0; i < evaluation.Count; i++)
        {
            Assert.True(evaluation[i].Score is null or >= 0 and <= 1);
        }
    }

    [Fact]
    public void Templates_PutPerspectivesInTheOrganisationsOrder()
    {
        Assert.Equal("financial", ScorecardTemplates.Read("for-profit").Data!.Scorecard.Perspectives[0].Id);
        Assert.Equal("mission", ScorecardTemplates.Read("nonprofit").Data!.Scorecard.Perspectives[0].Id);
        Assert.Equal("citizens", ScorecardTemplates.Read("municipality").Data!.Scorecard.Perspectives[0].Id);
        Assert.NotEmpty(ScorecardTemplates.Read("customer-support").Data!.Scorecard.Tensions);
    }

    [Fact]
    public async Task Templates_RenderInTheWebUi()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var import = app.Services.GetRequiredService<ScorecardImport>();
        foreach (string name in ScorecardTemplates.Names)
        {
            var data = ScorecardTemplates.Read(name).Data!;
            await import.ImportAsync([data], new Dictionary<string, string>(), null, "test", "template");

            foreach (string page in new[] { "", "/map", "/analysis" })
            {
                using var response = await app.Client.GetAsync(new Uri($"/scorecards/{data.Scorecard.Id}{page}?period=2026-09", UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}{page}: {response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task CreateFromTemplate_WithoutTheAntiforgeryToken_IsRefusedAndStoresNothing()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);

        using var response = await app.Client.PostAsync(new Uri("/templates/nonprofit/create", UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await app.Services.GetRequiredService<ScorecardSnapshots>().GetAsync("foundation"));
    }

    [Fact]
    public async Task CreateFromTemplate_StructureOnlyByDefault_SampleDataOnRequest_AndNeverASecondOfTheSameName()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var client = app.NewClient(allowRedirects: false);
        await RunningApp.SignInAsync(client, RunningApp.AdminName, RunningApp.Password);
        async Task<HttpResponseMessage> Create(string template, string data) =>
            await client.PostAsync(new Uri($"/templates/{template}/create", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = await RunningApp.AntiforgeryTokenAsync(client, "/templates"),
                ["data"] = data,
            }));

        using var structure = await Create("nonprofit", "none");
        using var again = await Create("nonprofit", "sample");
        using var sample = await Create("for-profit", "sample");

        var snapshots = app.Services.GetRequiredService<ScorecardSnapshots>();
        string nonprofit = ScorecardTemplates.Read("nonprofit").Data!.Scorecard.Id, forProfit = ScorecardTemplates.Read("for-profit").Data!.Scorecard.Id;
        Assert.Equal($"/scorecards/{nonprofit}", structure.Headers.Location!.OriginalString);
        Assert.Null((await snapshots.GetAsync(nonprofit))!.LastDay); // no observations
        Assert.NotNull((await snapshots.GetAsync(forProfit))!.LastDay);
        Assert.Equal("/templates?problem=exists&template=nonprofit", again.Headers.Location!.OriginalString);
        Assert.Single(await snapshots.ListAsync(), s => s.Key == nonprofit);
        string page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(again.Headers.Location.OriginalString, UriKind.Relative)));
        Assert.Contains($"A scorecard named “{ScorecardTemplates.Read("nonprofit").Data!.Scorecard.Name}” exists already", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplatesPage_ListsEveryTemplateWithADownload()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);

        string html = await app.Client.GetStringAsync(new Uri("/templates", UriKind.Relative));
        string yaml = await app.Client.GetStringAsync(new Uri("/templates/for-profit.yaml", UriKind.Relative));

        foreach (string name in ScorecardTemplates.Names)
        {
            Assert.Contains($"/templates/{name}.yaml", html, StringComparison.Ordinal);
        }

        Assert.Contains("name=\"__RequestVerificationToken\"", html, StringComparison.Ordinal);
        Assert.StartsWith("# Template: a for-profit company", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void NewCommand_WritesTheTemplateAndRefusesToOverwrite()
    {
        string dir = Directory.CreateTempSubdirectory("openbsc-new-").FullName;
        try
        {
            string file = Path.Combine(dir, "foundation.yaml");

            var first = OpenBscCli.Run("new", "--template", "nonprofit", "-o", file);
            var again = OpenBscCli.Run("new", "--template", "nonprofit", "-o", file);
            var validate = OpenBscCli.Run("validate", file);

            Assert.Equal(0, first.ExitCode);
            Assert.Equal(3, again.ExitCode);
            Assert.Equal(0, validate.ExitCode);
            Assert.Contains("foundation", validate.Out, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void NewCommand_UnknownTemplate_ListsTheTemplates()
    {
        var result = OpenBscCli.Run("new", "--template", "charity");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("there is no template 'charity'", result.Error, StringComparison.Ordinal);
        Assert.Contains("for-profit, loyalty-retention", result.Error.Replace("customer-support, ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
