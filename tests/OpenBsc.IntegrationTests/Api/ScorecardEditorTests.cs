using OpenBsc.Application.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Scoring;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Editing;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Api;

/// <summary>The editing service on a real SQLite file: every edit validated, versioned, and never a silent overwrite.</summary>
public abstract class ScorecardEditorTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : ScorecardEditorTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : ScorecardEditorTests(DatabaseProvider.Postgres);

    private static readonly Measure FullMeasure = new()
    {
        Id = "cost-per-ticket",
        Name = "Cost per ticket",
        Description = "All support cost over tickets closed",
        Unit = "USD",
        Direction = Direction.Decrease,
        Frequency = PeriodKind.Quarter,
        Aggregation = Aggregation.Average,
        Baseline = 12,
        Target = 9,
        Targets = [new PeriodTarget(Period.Parse("2026-Q2"), 9.5)],
        Min = 0,
        Max = 20,
        Scoring = new ScoringRule { Type = ScoringType.Thresholds, Goal = 9, RedFlag = 11 },
        Weight = new Weight(2),
        Owner = "ana@example.org",
        Concern = CustomerConcern.Cost,
        Outcome = CustomerOutcome.Profitability,
        ValueProposition = ValueProposition.Price,
        Leading = true,
    };

    [Fact]
    public async Task CreateThenAdd_ObjectiveAndMeasure_StoresEveryFieldAndBumpsVersion()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var editor = app.Services.GetRequiredService<ScorecardEditor>();

        var created = await editor.CreateAsync(new(ScorecardEditor.NewScorecard("support", "Support"), []), "ana");
        Assert.Equal((EditStatus.Saved, 1L), (created.Status, created.Version));
        var objective = await editor.EditAsync("support", 1, "add objective", c => ScorecardEdits.AddObjective(c, "financial", null, new Objective { Id = "lower-cost", Name = "Lower cost" }), "ana");
        var measure = await editor.EditAsync("support", 2, "add measure", c => ScorecardEdits.AddMeasure(c, "lower-cost", FullMeasure), "ana");

        Assert.Equal((EditStatus.Saved, 2L), (objective.Status, objective.Version));
        Assert.Equal((EditStatus.Saved, 3L), (measure.Status, measure.Version));
        var stored = await editor.GetAsync("support");
        Assert.Equal(["Financial", "Customer", "Internal Process", "Learning & Growth"], stored!.Scorecard.Perspectives.Select(p => p.Name));
        Assert.Equal(FullMeasure, ScorecardEdits.FindMeasure(stored.Scorecard, "cost-per-ticket"));
        Assert.Equal(3, stored.Version);
        Assert.Equal([3L, 2L, 1L], (await editor.HistoryAsync("support"))!.Select(v => v.Version));
    }

    [Fact]
    public async Task Edit_StaleVersion_RefusedWithWhatChangedSince()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var editor = app.Services.GetRequiredService<ScorecardEditor>();
        await editor.CreateAsync(new(ScorecardEditor.NewScorecard("support", "Support"), []), "ana");

        var first = await editor.EditAsync("support", 1, "rename customer", c => ScorecardEdits.UpdatePerspective(c, "customer", new Perspective { Id = "customer", Name = "Clients" }), "ana");
        var second = await editor.EditAsync("support", 1, "remove financial", c => ScorecardEdits.RemovePerspective(c, "financial"), "ben");

        Assert.Equal(EditStatus.Saved, first.Status);
        Assert.Equal(EditStatus.Stale, second.Status);
        Assert.Equal(2, second.Version);
        Assert.Equal(new DefinitionChange("perspective", "customer", ChangeKind.Changed), Assert.Single(second.Changes));
        var since = Assert.Single(second.Since);
        Assert.Equal(("ana", "rename customer"), (since.SavedBy, since.Change));
        var stored = await editor.GetAsync("support");
        Assert.Contains(stored!.Scorecard.Perspectives, p => p.Id == "financial");
    }

    [Fact]
    public async Task Edit_InvalidMeasure_ErrorNamesFieldAndNothingStored()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var editor = app.Services.GetRequiredService<ScorecardEditor>();
        await editor.CreateAsync(new(new ScorecardBuilder().With(c => c with { Id = "mini", Name = "Mini" }).WithMeasures(ScorecardBuilder.Measure("csat")).Build().Scorecard, []), "ana");

        var result = await editor.EditAsync("mini", 1, "add measure", c => ScorecardEdits.AddMeasure(c, "o", ScorecardBuilder.Measure("nps", baseline: 5, target: 5)), "ana");

        Assert.Equal(EditStatus.Invalid, result.Status);
        var error = Assert.Single(result.Errors);
        Assert.Equal("scorecard.perspectives[0].objectives[0].measures[1].target", error.Path);
        Assert.Contains("equals the baseline", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await editor.GetAsync("mini"))!.Version);
    }

    [Fact]
    public async Task RemoveMeasureWithData_NeedsConfirmation_ThenArchivedListedAndRestoredWithData()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var editor = app.Services.GetRequiredService<ScorecardEditor>();
        var snapshots = app.Services.GetRequiredService<ScorecardSnapshots>();
        var data = new ScorecardBuilder().With(c => c with { Id = "mini", Name = "Mini" })
            .WithMeasures(ScorecardBuilder.Measure("csat"), ScorecardBuilder.Measure("nps"))
            .WithMonthly("csat", "2026-01", 70, 80).Build();
        await editor.CreateAsync(data, "ana");

        var unconfirmed = await editor.EditAsync("mini", 1, "remove csat", c => ScorecardEdits.RemoveMeasure(c, "csat"), "ana");
        Assert.Equal(EditStatus.NeedsConfirmation, unconfirmed.Status);
        Assert.Equal(["csat"], unconfirmed.MeasuresWithData);
        Assert.Equal(1, (await editor.GetAsync("mini"))!.Version);

        var confirmed = await editor.EditAsync("mini", 1, "remove csat", c => ScorecardEdits.RemoveMeasure(c, "csat"), "ana", confirmArchive: true);
        Assert.Equal(EditStatus.Saved, confirmed.Status);
        Assert.Null(ScorecardEdits.FindMeasure((await editor.GetAsync("mini"))!.Scorecard, "csat"));
        var archived = Assert.Single((await editor.ArchivedMeasuresAsync("mini"))!);
        Assert.Equal(("csat", "o", 2), (archived.Key, archived.Objective, archived.Observations));

        var reuse = await editor.EditAsync("mini", 2, "add csat", c => ScorecardEdits.AddMeasure(c, "o", ScorecardBuilder.Measure("csat")), "ben");
        Assert.Equal(EditStatus.Conflict, reuse.Status);

        var restored = await editor.RestoreMeasureAsync("mini", 2, "csat", null, "ana");
        Assert.Equal((EditStatus.Saved, 3L), (restored.Status, restored.Version));
        Assert.Empty((await editor.ArchivedMeasuresAsync("mini"))!);
        var snapshot = await snapshots.GetAsync("mini");
        var report = ScoreReport.From(snapshot!.Evaluate(new PeriodView(Period.Parse("2026-02"))));
        Assert.Equal(80, report.Nodes.Single(n => n.Id == "csat").Value);
    }

    [Fact]
    public async Task RemoveObjective_DropsLinksTensionsAndInitiativeReferences()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var editor = app.Services.GetRequiredService<ScorecardEditor>();
        var card = new ScorecardBuilder().With(c => c with { Id = "mini", Name = "Mini" })
            .WithPerspective("p", ScorecardBuilder.Objective("a"), ScorecardBuilder.Objective("b"), ScorecardBuilder.Objective("c")).Build().Scorecard with
        {
            Links = [new CauseEffectLink("a", "b"), new CauseEffectLink("b", "c")],
            Tensions = [new Tension("a", "c")],
            Initiatives = [new Initiative { Id = "portal", Name = "Portal", Objectives = ["a", "b"] }],
        };
        await editor.CreateAsync(new(card, []), "ana");

        var result = await editor.EditAsync("mini", 1, "remove a", c => ScorecardEdits.RemoveObjective(c, "a"), "ana");

        Assert.Equal(EditStatus.Saved, result.Status);
        Assert.Equal([new CauseEffectLink("b", "c")], result.Scorecard!.Links);
        Assert.Empty(result.Scorecard.Tensions);
        Assert.Equal(["b"], result.Scorecard.Initiatives[0].Objectives);
    }

    [Fact]
    public async Task Edit_ChangesTheDataStamp_SoCachedPagesAreRenderedAgain()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var editor = app.Services.GetRequiredService<ScorecardEditor>();
        var access = app.Services.GetRequiredService<AccessQueries>();
        Guid admin;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            admin = await db.Users.Where(u => u.UserName == RunningApp.AdminName).Select(u => u.Id).SingleAsync();
        }

        await editor.CreateAsync(new(ScorecardEditor.NewScorecard("support", "Support"), []), "ana");
        long before = (await access.StampsAsync(admin))!.DataStamp;

        await editor.EditAsync("support", 1, "move", c => ScorecardEdits.MovePerspective(c, "customer", 0), "ana");

        Assert.NotEqual(before, (await access.StampsAsync(admin))!.DataStamp);
        Assert.Equal("customer", (await editor.GetAsync("support"))!.Scorecard.Perspectives[0].Id);
    }

    [Fact]
    public void Fragments_MeasureWithEveryField_RoundTrips()
    {
        var json = ScorecardFragments.ToJson(FullMeasure);
        var read = ScorecardFragments.ReadMeasure(json);

        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        Assert.Equal(FullMeasure, read.Item);
        Assert.Equal("decrease", (string?)json["direction"]);
    }

    [Fact]
    public void Fragments_BadField_ErrorKeyedByFieldInTheFragment()
    {
        var read = ScorecardFragments.ReadMeasure(System.Text.Json.Nodes.JsonNode.Parse("""{ "id": "x", "name": "X", "direction": "upwards" }"""));

        var error = Assert.Single(read.Errors);
        Assert.Equal("direction", error.Path);
        Assert.Contains("increase", error.Message, StringComparison.Ordinal);
    }
}
