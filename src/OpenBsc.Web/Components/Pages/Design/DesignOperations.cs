using System.Globalization;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Domain.Editing;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Web.Components.Pages.Design;

/// <summary>
/// One change asked for by the designer page: what it does in words (kept in the version history) and the pure
/// edit that makes it; or why the form cannot be read.
/// </summary>
public sealed record DesignOperation(string Change, Func<Scorecard, Edit>? Edit, string? Problem, string? NewMeasure = null)
{
    private static DesignOperation Fail(string problem) => new(string.Empty, null, problem);

    /// <summary>
    /// Reads the operation named by the pressed button (<c>op</c>, e.g. <c>add-objective|customer</c>) and the fields it
    /// uses. Ids of new items are made from their names, unique in the scorecard.
    /// </summary>
    public static DesignOperation Read(string op, Func<string, string> field, Scorecard card)
    {
        string[] parts = op.Split('|');
        string Part(int i) => i < parts.Length ? parts[i] : string.Empty;
        string name;
        switch (Part(0))
        {
            case "scorecard":
                name = field("card.name").Trim();
                string mission = field("card.mission").Trim();
                return name.Length == 0
                    ? Fail("The scorecard needs a name.")
                    : new("rename scorecard", c => Domain.Editing.Edit.Done(c with { Name = name, Mission = mission.Length == 0 ? null : mission }), null);
            case "add-perspective":
                name = field("new-perspective").Trim();
                return name.Length == 0
                    ? Fail("Give the new perspective a name.")
                    : new($"add perspective {name}", c => ScorecardEdits.AddPerspective(c, new Perspective { Id = DesignForms.IdFrom(name, DesignForms.Ids(c)), Name = name }), null);
            case "perspective":
                return ReadWeighted(field, "p", Part(1), out var pName, out var pWeight) is { } pProblem
                    ? Fail(pProblem)
                    : new($"change perspective {Part(1)}", c => ScorecardEdits.UpdatePerspective(c, Part(1), c.Perspectives.First(p => p.Id == Part(1)) with { Name = pName, Weight = pWeight }), null);
            case "add-objective":
            case "add-sub":
                name = field((Part(0) == "add-sub" ? "new-sub|" : "new-objective|") + Part(1)).Trim();
                if (name.Length == 0)
                {
                    return Fail("Give the new objective a name.");
                }

                return new($"add objective {name}", c =>
                {
                    var objective = new Objective { Id = DesignForms.IdFrom(name, DesignForms.Ids(c)), Name = name };
                    return Part(0) == "add-sub" ? ScorecardEdits.AddObjective(c, null, Part(1), objective) : ScorecardEdits.AddObjective(c, Part(1), null, objective);
                }, null);
            case "objective":
                if (ReadWeighted(field, "o", Part(1), out var oName, out var oWeight) is { } oProblem)
                {
                    return Fail(oProblem);
                }

                string owner = field("o.owner|" + Part(1)).Trim();
                var rollup = field("o.rollup|" + Part(1)) switch
                {
                    "average" => RollupMethod.Average,
                    "min" => RollupMethod.Min,
                    "max" => RollupMethod.Max,
                    "self" => RollupMethod.Self,
                    _ => RollupMethod.Weighted,
                };
                return new($"change objective {Part(1)}", c => ScorecardEdits.FindObjective(c, Part(1)) is { } o
                    ? ScorecardEdits.UpdateObjective(c, o.Id, o with { Name = oName, Weight = oWeight, Owner = owner.Length == 0 ? null : owner, Rollup = rollup })
                    : Domain.Editing.Edit.NotFound($"There is no objective '{Part(1)}'."), null);
            case "add-measure":
                name = field("new-measure|" + Part(1)).Trim();
                if (name.Length == 0)
                {
                    return Fail("Give the new measure a name.");
                }

                string id = DesignForms.IdFrom(name, DesignForms.Ids(card));
                return new($"add measure {name}", c => ScorecardEdits.AddMeasure(c, Part(1), new Measure { Id = id, Name = name }), null, id);
            case "up":
            case "down":
                return Move(Part(0) == "up" ? -1 : 1, Part(1), Part(2));
            case "delete":
                return Part(1) switch
                {
                    "perspective" => new($"delete perspective {Part(2)}", c => ScorecardEdits.RemovePerspective(c, Part(2)), null),
                    "objective" => new($"delete objective {Part(2)}", c => ScorecardEdits.RemoveObjective(c, Part(2)), null),
                    "measure" => new($"delete measure {Part(2)}", c => ScorecardEdits.RemoveMeasure(c, Part(2)), null),
                    "initiative" => new($"delete initiative {Part(2)}", c => ScorecardEdits.RemoveInitiative(c, Part(2)), null),
                    "risk" => new($"delete risk {Part(2)}", c => ScorecardEdits.RemoveRisk(c, Part(2)), null),
                    "link" => new($"delete link {Part(2)} → {Part(3)}", c => ScorecardEdits.RemoveLink(c, Part(2), Part(3)), null),
                    "tension" => new($"delete tension {Part(2)} ↔ {Part(3)}", c => ScorecardEdits.RemoveTension(c, Part(2), Part(3)), null),
                    _ => Fail($"'{Part(1)}' cannot be deleted here."),
                };
            case "add-link":
                string from = field("link.from"), to = field("link.to"), note = field("link.note").Trim();
                return from.Length == 0 || to.Length == 0
                    ? Fail("Pick the objective the arrow starts from (the cause) and the one it points to (the effect).")
                    : new($"add link {from} → {to}", c => ScorecardEdits.AddLink(c, new CauseEffectLink(from, to, note.Length == 0 ? null : note)), null);
            case "add-tension":
                string first = field("tension.first"), second = field("tension.second"), why = field("tension.note").Trim();
                return first.Length == 0 || second.Length == 0
                    ? Fail("Pick the two objectives or measures in tension.")
                    : new($"add tension {first} ↔ {second}", c => ScorecardEdits.AddTension(c, new Tension(first, second, why.Length == 0 ? null : why)), null);
            case "add-initiative":
                return ReadInitiative(field, null);
            case "initiative":
                return ReadInitiative(field, Part(1));
            case "add-risk":
                return ReadRisk(field, null);
            case "risk":
                return ReadRisk(field, Part(1));
            case "initiative-progress":
                return ReadProgress(field, Part(1));
            case "add-milestone":
                return ReadMilestone(field, Part(1));
            case "milestone-done":
            case "milestone-delete":
                if (!int.TryParse(Part(2), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    return Fail($"'{Part(2)}' is not a milestone number: reload the page and try again.");
                }

                return new($"{(Part(0) == "milestone-done" ? "mark done" : "delete")} milestone {index + 1} of initiative {Part(1)}", c => WithInitiative(c, Part(1), i =>
                    index >= i.Milestones.Count ? null
                    : i with { Milestones = Part(0) == "milestone-done"
                        ? [.. i.Milestones.Select((m, n) => n == index ? m with { Done = true } : m)]
                        : [.. i.Milestones.Where((_, n) => n != index)] }), null);
            case "risk-residual":
                return ReadResidual(field, Part(1));
            default:
                return Fail($"Unknown action '{op}': reload the page and try again.");
        }
    }

    private static string? ReadWeighted(Func<string, string> field, string prefix, string id, out string name, out Weight weight)
    {
        name = field($"{prefix}.name|{id}").Trim();
        weight = Weight.One;
        string text = field($"{prefix}.weight|{id}").Trim();
        if (name.Length == 0)
        {
            return "A name cannot be empty.";
        }

        if (text.Length > 0)
        {
            if (!OrganisationFormat.Current.TryRead(text, out double w) || w < 0)
            {
                return $"Weight '{text}' of {name}: enter a number ≥ 0 {OrganisationFormat.Current.TypedExample} (0 shows the item without counting it).";
            }

            weight = new Weight(w);
        }

        return null;
    }

    /// <summary>Moves an item one place up or down among its siblings (perspectives: one band up or down the map).</summary>
    private static DesignOperation Move(int step, string kind, string id) => kind switch
    {
        "perspective" => new($"move perspective {id}", c =>
        {
            int index = c.Perspectives.ToList().FindIndex(p => p.Id == id);
            return ScorecardEdits.MovePerspective(c, id, Math.Clamp(index + step, 0, c.Perspectives.Count - 1));
        }, null),
        "objective" => new($"move objective {id}", c =>
        {
            if (ScorecardEdits.LocateObjective(c, id) is not { } at)
            {
                return Domain.Editing.Edit.NotFound($"There is no objective '{id}'.");
            }

            var siblings = at.Parent is { } parent ? ScorecardEdits.FindObjective(c, parent)!.Objectives : c.Perspectives.First(p => p.Id == at.Perspective).Objectives;
            int index = siblings.ToList().FindIndex(o => o.Id == id);
            return ScorecardEdits.MoveObjective(c, id, at.Parent is null ? at.Perspective : null, at.Parent, Math.Clamp(index + step, 0, siblings.Count - 1));
        }, null),
        "measure" => new($"move measure {id}", c =>
        {
            if (ScorecardEdits.OwnerOfMeasure(c, id) is not { } objective)
            {
                return Domain.Editing.Edit.NotFound($"There is no measure '{id}'.");
            }

            int index = objective.Measures.ToList().FindIndex(m => m.Id == id);
            return ScorecardEdits.MoveMeasure(c, id, objective.Id, Math.Clamp(index + step, 0, objective.Measures.Count - 1));
        }, null),
        _ => Fail($"'{kind}' cannot be moved."),
    };

    /// <summary>A new initiative (<paramref name="id"/> null) or every field of an existing one; its milestones are kept.</summary>
    private static DesignOperation ReadInitiative(Func<string, string> form, string? id)
    {
        string field(string key) => form(id is null ? key : $"{key}|{id}");
        string name = field("initiative.name").Trim();
        if (name.Length == 0)
        {
            return Fail("Give the initiative a name.");
        }

        var problems = new List<string>();
        DateOnly? Date(string key)
        {
            string text = field(key).Trim();
            if (text.Length == 0)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            problems.Add($"{(key.EndsWith("start", StringComparison.Ordinal) ? "start" : "end")} '{text}': enter a date such as 2026-09-30");
            return null;
        }

        double? Number(string key, double scale = 1)
        {
            string text = field(key).Trim().TrimEnd('%');
            if (text.Length == 0)
            {
                return null;
            }

            if (OrganisationFormat.Current.TryRead(text, out double x))
            {
                return x / scale;
            }

            problems.Add($"{(key.EndsWith("budget", StringComparison.Ordinal) ? "budget" : key.EndsWith("complete", StringComparison.Ordinal) ? "complete %" : "actual cost")} '{text}': enter a number {OrganisationFormat.Current.TypedExample}");
            return null;
        }

        var start = Date("initiative.start");
        var end = Date("initiative.end");
        var budget = Number("initiative.budget");
        var actual = Number("initiative.actualCost");
        var complete = Number("initiative.complete", 100);
        string owner = field("initiative.owner").Trim();
        var objectives = field("initiative.objectives").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (problems.Count > 0)
        {
            return Fail($"Initiative “{name}”: {string.Join("; ", problems)}.");
        }

        if (id is not null)
        {
            return new($"change initiative {id}", c => WithInitiative(c, id, i => i with
            {
                Name = name, Owner = owner.Length == 0 ? null : owner, Start = start, End = end, Budget = budget, ActualCost = actual, Complete = complete, Objectives = objectives,
            }), null);
        }

        return new($"add initiative {name}", c => ScorecardEdits.AddInitiative(c, new Initiative
        {
            Id = DesignForms.IdFrom(name, DesignForms.Ids(c)),
            Name = name,
            Owner = owner.Length == 0 ? null : owner,
            Start = start,
            End = end,
            Budget = budget,
            ActualCost = actual,
            Complete = complete,
            Objectives = objectives,
        }), null);
    }

    /// <summary>A new risk from the designer's form: likelihood and impact are picked from 1..5; residual and target are optional pairs.</summary>
    private static DesignOperation ReadRisk(Func<string, string> form, string? id)
    {
        string field(string key) => form(id is null ? key : $"{key}|{id}");
        string name = field("risk.name").Trim();
        if (name.Length == 0)
        {
            return Fail("Give the risk a name.");
        }

        var problems = new List<string>();
        int? Scale(string key, string label)
        {
            string text = field(key).Trim();
            if (text.Length == 0)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 5)
            {
                return value;
            }

            problems.Add($"{label} '{text}': pick a whole number from 1 to 5");
            return null;
        }

        RiskRating? Pair(string prefix, string label)
        {
            var likelihood = Scale($"risk.{prefix}likelihood", $"{label} likelihood");
            var impact = Scale($"risk.{prefix}impact", $"{label} impact");
            if (likelihood is null != impact is null)
            {
                problems.Add($"{label}: pick both a likelihood and an impact, or neither");
            }

            return likelihood is { } l && impact is { } i ? new RiskRating(l, i) : null;
        }

        var inherent = Pair(string.Empty, "inherent");
        if (inherent is null && problems.Count == 0)
        {
            problems.Add("inherent: pick the likelihood and impact before any mitigation");
        }

        var residual = Pair("residual.", "residual");
        var target = Pair("target.", "target");
        DateOnly? review = null;
        string reviewText = field("risk.review").Trim();
        if (reviewText.Length > 0)
        {
            if (DateOnly.TryParseExact(reviewText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                review = date;
            }
            else
            {
                problems.Add($"review '{reviewText}': enter a date such as 2026-09-30");
            }
        }

        if (problems.Count > 0)
        {
            return Fail($"Risk “{name}”: {string.Join("; ", problems)}.");
        }

        string owner = field("risk.owner").Trim();
        // The same fields for a new risk and an existing one (whose id stays).
        Risk Fill(Risk risk) => risk with
        {
            Name = name,
            Owner = owner.Length == 0 ? null : owner,
            Objectives = field("risk.objectives").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Inherent = inherent!.Value,
            Residual = residual,
            Target = target,
            Mitigations = field("risk.mitigations").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Review = review,
        };

        return id is not null
            ? new($"change risk {id}", c => c.Risks.FirstOrDefault(r => r.Id == id) is { } risk
                ? ScorecardEdits.UpdateRisk(c, id, Fill(risk))
                : Domain.Editing.Edit.NotFound("That risk is no longer there: reload the page."), null)
            : new($"add risk {name}", c => ScorecardEdits.AddRisk(c, Fill(new Risk { Id = DesignForms.IdFrom(name, DesignForms.Ids(c)), Name = name })), null);
    }

    /// <summary>Changes initiative <paramref name="id"/> with <paramref name="change"/> (null: the item it names is not there).</summary>
    private static Edit WithInitiative(Scorecard card, string id, Func<Initiative, Initiative?> change) =>
        card.Initiatives.FirstOrDefault(i => i.Id == id) is not { } initiative ? Domain.Editing.Edit.NotFound($"There is no initiative '{id}'.")
        : change(initiative) is { } changed ? ScorecardEdits.UpdateInitiative(card, id, changed)
        : Domain.Editing.Edit.NotFound($"Initiative '{id}' has no such milestone: reload the page and try again.");

    /// <summary>The progress of an existing initiative: % complete and actual cost (an empty field clears it).</summary>
    private static DesignOperation ReadProgress(Func<string, string> field, string id)
    {
        var problems = new List<string>();
        double? Number(string key, string label, double scale = 1)
        {
            string text = field($"{key}|{id}").Trim().TrimEnd('%').Trim();
            if (text.Length == 0)
            {
                return null;
            }

            if (OrganisationFormat.Current.TryRead(text, out double x))
            {
                return x / scale;
            }

            problems.Add($"{label} '{text}': enter a number {OrganisationFormat.Current.TypedExample}");
            return null;
        }

        var complete = Number("ip.complete", "complete", 100);
        var actual = Number("ip.actualCost", "actual cost");
        return problems.Count > 0
            ? Fail($"Initiative {id}: {string.Join("; ", problems)}.")
            : new($"update progress of initiative {id}", c => WithInitiative(c, id, i => i with { Complete = complete, ActualCost = actual }), null);
    }

    private static DesignOperation ReadMilestone(Func<string, string> field, string id)
    {
        string name = field($"ms.name|{id}").Trim();
        string dueText = field($"ms.due|{id}").Trim();
        if (name.Length == 0)
        {
            return Fail("Give the milestone a name.");
        }

        if (!DateOnly.TryParseExact(dueText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
        {
            return Fail($"Milestone {name}: due '{dueText}': expected a date such as 2026-09-30.");
        }

        return new($"add milestone {name} to initiative {id}", c => WithInitiative(c, id, i => i with { Milestones = [.. i.Milestones, new InitiativeMilestone(name, due)] }), null);
    }

    private static DesignOperation ReadResidual(Func<string, string> field, string id)
    {
        string likelihood = field($"rr.likelihood|{id}").Trim(), impact = field($"rr.impact|{id}").Trim();
        if (likelihood.Length == 0 && impact.Length == 0)
        {
            return new($"clear residual rating of risk {id}", c => c.Risks.FirstOrDefault(r => r.Id == id) is { } risk
                ? ScorecardEdits.UpdateRisk(c, id, risk with { Residual = null }) : Domain.Editing.Edit.NotFound($"There is no risk '{id}'."), null);
        }

        if (!int.TryParse(likelihood, NumberStyles.None, CultureInfo.InvariantCulture, out int l) || l is < 1 or > 5
            || !int.TryParse(impact, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i is < 1 or > 5)
        {
            return Fail($"Risk {id}: pick a residual likelihood and impact from 1 to 5, or neither.");
        }

        return new($"rate risk {id} residual {l} × {i}", c => c.Risks.FirstOrDefault(r => r.Id == id) is { } risk
            ? ScorecardEdits.UpdateRisk(c, id, risk with { Residual = new RiskRating(l, i) }) : Domain.Editing.Edit.NotFound($"There is no risk '{id}'."), null);
    }
}
