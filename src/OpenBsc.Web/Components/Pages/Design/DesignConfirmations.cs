using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Web.Components.Pages.Design;

/// <summary>What the designer says before a delete (what goes with the item) and after a change (which verb, which item).</summary>
public static class DesignConfirmations
{
    /// <summary>What deleting <paramref name="id"/> takes with it, by name.</summary>
    public static string WhatGoes(Scorecard card, string kind, string id)
    {
        const string archived = "Measures with data are archived with their history: they stop counting in scores and can be restored from “Archived measures”.";
        switch (kind)
        {
            case "perspective" when card.Perspectives.FirstOrDefault(p => p.Id == id) is { } perspective:
                var objectives = Flatten(perspective.Objectives).ToList();
                var inPerspective = objectives.SelectMany(o => o.Measures).ToList();
                return $"It holds {Count(objectives.Count, "objective")} and {Count(inPerspective.Count, "measure")}{List(inPerspective)}. {archived}";
            case "objective" when card.AllObjectives().FirstOrDefault(o => o.Id == id) is { } objective:
                var subs = Flatten(objective.Objectives).ToList();
                var measures = objective.Measures.Concat(subs.SelectMany(o => o.Measures)).ToList();
                return $"It holds {Count(subs.Count, "sub-objective")} and {Count(measures.Count, "measure")}{List(measures)}. {archived}";
            case "measure":
                return $"If it has data, it is archived with its history and can be restored from “Archived measures”; formulas that use it must be changed first.";
            case "initiative" when card.Initiatives.FirstOrDefault(i => i.Id == id) is { } initiative:
                return $"Its {Count(initiative.Milestones.Count, "milestone")} and its budget figures go with it; risks it mitigates keep their other mitigations.";
            case "risk":
                return "Its ratings and review date go with it.";
            default:
                return "It is no longer there: reload the page.";
        }
    }

    /// <summary>The verb and the item shown after a saved change (item null when it no longer exists or is new).</summary>
    public static (string Verb, string? Item) Done(string[] op) => op switch
    {
        ["delete", "link" or "tension", ..] or ["milestone-delete", ..] => ("removed", null),
        ["delete", ..] => ("deleted", null),
        ["up" or "down", _, var id] => ("moved", id),
        ["restore-measure", var id] => ("restored", id),
        ["add-milestone" or "milestone-done", var id, ..] => ("saved", id),
        [var add, ..] when add.StartsWith("add-", StringComparison.Ordinal) => ("added", null),
        [_, var id, ..] => ("saved", id),
        _ => ("saved", null),
    };

    private static IEnumerable<Objective> Flatten(IEnumerable<Objective> objectives) =>
        objectives.SelectMany(o => new[] { o }.Concat(Flatten(o.Objectives)));

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string List(List<Measure> measures) =>
        measures.Count is 0 or > 6 ? "" : $" ({string.Join(", ", measures.Select(m => m.Name))})";
}
