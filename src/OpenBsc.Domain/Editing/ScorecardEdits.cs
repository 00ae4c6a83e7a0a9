using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Editing;

/// <summary>
/// What an edit gave: the changed scorecard, or why the edit could not be made (an item it names does not
/// exist). Whether the changed scorecard is valid is the validator's question, asked after every edit.
/// </summary>
public sealed record Edit(Scorecard? Scorecard, string? Missing)
{
    public static Edit Done(Scorecard scorecard) => new(scorecard, null);

    public static Edit NotFound(string message) => new(null, message);

    public bool Succeeded => Scorecard is not null;
}

/// <summary>
/// Small pure edits of a scorecard definition: each returns a changed copy and leaves the input untouched.
/// Items are found by id anywhere in the tree. Removing an objective or measure also removes the links and
/// tensions that name it and drops it from initiatives' and risks' objective lists (a dangling arrow means nothing);
/// formulas and cascade contributions that name it are left for the validator to report, because dropping
/// those silently would change what the scorecard computes.
/// </summary>
public static class ScorecardEdits
{
    // ---- perspectives ----

    /// <summary>Adds <paramref name="perspective"/> at <paramref name="position"/> (0 = top of the map; null = last).</summary>
    public static Edit AddPerspective(Scorecard card, Perspective perspective, int? position = null) =>
        Edit.Done(card with { Perspectives = Insert(card.Perspectives, perspective, position) });

    /// <summary>Replaces the perspective's own fields; its objectives stay.</summary>
    public static Edit UpdatePerspective(Scorecard card, string id, Perspective fields)
    {
        int index = IndexOf(card.Perspectives, p => p.Id == id);
        return index < 0
            ? Edit.NotFound(NoPerspective(id))
            : Edit.Done(card with { Perspectives = Replace(card.Perspectives, index, fields with { Id = id, Objectives = card.Perspectives[index].Objectives }) });
    }

    /// <summary>Removes the perspective with everything in it.</summary>
    public static Edit RemovePerspective(Scorecard card, string id)
    {
        int index = IndexOf(card.Perspectives, p => p.Id == id);
        if (index < 0)
        {
            return Edit.NotFound(NoPerspective(id));
        }

        var removed = Ids(card.Perspectives[index].Objectives);
        return Edit.Done(WithoutReferences(card with { Perspectives = RemoveAt(card.Perspectives, index) }, removed));
    }

    /// <summary>Moves the perspective to <paramref name="position"/> (0 = top of the map), the others keeping their order.</summary>
    public static Edit MovePerspective(Scorecard card, string id, int position)
    {
        int index = IndexOf(card.Perspectives, p => p.Id == id);
        if (index < 0)
        {
            return Edit.NotFound(NoPerspective(id));
        }

        var perspective = card.Perspectives[index];
        return Edit.Done(card with { Perspectives = Insert(RemoveAt(card.Perspectives, index), perspective, position) });
    }

    // ---- objectives ----

    /// <summary>
    /// Adds <paramref name="objective"/> (with any sub-objectives and measures it holds) under perspective
    /// <paramref name="perspectiveId"/>, or under objective <paramref name="parentId"/> when given.
    /// </summary>
    public static Edit AddObjective(Scorecard card, string? perspectiveId, string? parentId, Objective objective, int? position = null)
    {
        if (parentId is not null)
        {
            return FindObjective(card, parentId) is null
                ? Edit.NotFound($"There is no objective '{parentId}' to hold objective '{objective.Id}'.")
                : Edit.Done(MapObjectives(card, o => o.Id == parentId ? o with { Objectives = Insert(o.Objectives, objective, position) } : o));
        }

        int index = IndexOf(card.Perspectives, p => p.Id == perspectiveId);
        if (index < 0)
        {
            return Edit.NotFound(perspectiveId is null ? "Name the perspective (or the parent objective) that holds the objective." : NoPerspective(perspectiveId));
        }

        var perspective = card.Perspectives[index];
        return Edit.Done(card with { Perspectives = Replace(card.Perspectives, index, perspective with { Objectives = Insert(perspective.Objectives, objective, position) }) });
    }

    /// <summary>Replaces the objective's own fields; its sub-objectives and measures stay.</summary>
    public static Edit UpdateObjective(Scorecard card, string id, Objective fields)
    {
        var current = FindObjective(card, id);
        return current is null
            ? Edit.NotFound(NoObjective(id))
            : Edit.Done(MapObjectives(card, o => o.Id == id ? fields with { Id = id, Objectives = o.Objectives, Measures = o.Measures } : o));
    }

    /// <summary>Removes the objective with its sub-objectives and measures.</summary>
    public static Edit RemoveObjective(Scorecard card, string id)
    {
        var current = FindObjective(card, id);
        if (current is null)
        {
            return Edit.NotFound(NoObjective(id));
        }

        var removed = Ids([current]);
        var changed = card with
        {
            Perspectives = [.. card.Perspectives.Select(p => p with { Objectives = Without(p.Objectives, id) })],
        };
        return Edit.Done(WithoutReferences(changed, removed));
    }

    /// <summary>Moves the objective under another perspective or parent objective, or to another position under the same one.</summary>
    public static Edit MoveObjective(Scorecard card, string id, string? perspectiveId, string? parentId, int? position)
    {
        var objective = FindObjective(card, id);
        if (objective is null)
        {
            return Edit.NotFound(NoObjective(id));
        }

        if (parentId is not null && Ids([objective]).Contains(parentId))
        {
            return Edit.NotFound($"Objective '{id}' cannot move under '{parentId}', which is itself or inside it.");
        }

        var without = card with { Perspectives = [.. card.Perspectives.Select(p => p with { Objectives = Without(p.Objectives, id) })] };
        return AddObjective(without, perspectiveId, parentId, objective, position);
    }

    // ---- measures ----

    public static Edit AddMeasure(Scorecard card, string objectiveId, Measure measure, int? position = null) =>
        FindObjective(card, objectiveId) is null
            ? Edit.NotFound($"There is no objective '{objectiveId}' to hold measure '{measure.Id}'.")
            : Edit.Done(MapObjectives(card, o => o.Id == objectiveId ? o with { Measures = Insert(o.Measures, measure, position) } : o));

    /// <summary>Replaces every field of the measure (its id stays).</summary>
    public static Edit UpdateMeasure(Scorecard card, string id, Measure fields) =>
        FindMeasure(card, id) is null
            ? Edit.NotFound(NoMeasure(id))
            : Edit.Done(MapObjectives(card, o => o.Measures.Any(m => m.Id == id)
                ? o with { Measures = [.. o.Measures.Select(m => m.Id == id ? fields with { Id = id } : m)] }
                : o));

    public static Edit RemoveMeasure(Scorecard card, string id) =>
        FindMeasure(card, id) is null
            ? Edit.NotFound(NoMeasure(id))
            : Edit.Done(WithoutReferences(MapObjectives(card, o => o with { Measures = [.. o.Measures.Where(m => m.Id != id)] }), [id]));

    public static Edit MoveMeasure(Scorecard card, string id, string objectiveId, int? position)
    {
        var measure = FindMeasure(card, id);
        if (measure is null)
        {
            return Edit.NotFound(NoMeasure(id));
        }

        var without = MapObjectives(card, o => o with { Measures = [.. o.Measures.Where(m => m.Id != id)] });
        return AddMeasure(without, objectiveId, measure, position);
    }

    // ---- weights ----

    /// <summary>Sets the weight of a perspective, objective or measure.</summary>
    public static Edit SetWeight(Scorecard card, string id, Weight weight)
    {
        int p = IndexOf(card.Perspectives, x => x.Id == id);
        if (p >= 0)
        {
            return Edit.Done(card with { Perspectives = Replace(card.Perspectives, p, card.Perspectives[p] with { Weight = weight }) });
        }

        if (FindObjective(card, id) is not null)
        {
            return Edit.Done(MapObjectives(card, o => o.Id == id ? o with { Weight = weight } : o));
        }

        return FindMeasure(card, id) is { } measure
            ? UpdateMeasure(card, id, measure with { Weight = weight })
            : Edit.NotFound($"There is no perspective, objective or measure '{id}'.");
    }

    // ---- links, tensions, initiatives ----

    public static Edit AddLink(Scorecard card, CauseEffectLink link) => Edit.Done(card with { Links = [.. card.Links, link] });

    public static Edit UpdateLink(Scorecard card, string from, string to, CauseEffectLink link)
    {
        int index = IndexOf(card.Links, l => l.From == from && l.To == to);
        return index < 0 ? Edit.NotFound(NoLink(from, to)) : Edit.Done(card with { Links = Replace(card.Links, index, link) });
    }

    public static Edit RemoveLink(Scorecard card, string from, string to)
    {
        int index = IndexOf(card.Links, l => l.From == from && l.To == to);
        return index < 0 ? Edit.NotFound(NoLink(from, to)) : Edit.Done(card with { Links = RemoveAt(card.Links, index) });
    }

    public static Edit AddTension(Scorecard card, Tension tension) => Edit.Done(card with { Tensions = [.. card.Tensions, tension] });

    /// <summary>A tension has no direction: <c>a,b</c> and <c>b,a</c> name the same one.</summary>
    public static int IndexOfTension(Scorecard card, string first, string second) =>
        IndexOf(card.Tensions, t => (t.First == first && t.Second == second) || (t.First == second && t.Second == first));

    public static Edit UpdateTension(Scorecard card, string first, string second, Tension tension)
    {
        int index = IndexOfTension(card, first, second);
        return index < 0 ? Edit.NotFound(NoTension(first, second)) : Edit.Done(card with { Tensions = Replace(card.Tensions, index, tension) });
    }

    public static Edit RemoveTension(Scorecard card, string first, string second)
    {
        int index = IndexOfTension(card, first, second);
        return index < 0 ? Edit.NotFound(NoTension(first, second)) : Edit.Done(card with { Tensions = RemoveAt(card.Tensions, index) });
    }

    public static Edit AddInitiative(Scorecard card, Initiative initiative) => Edit.Done(card with { Initiatives = [.. card.Initiatives, initiative] });

    public static Edit UpdateInitiative(Scorecard card, string id, Initiative initiative)
    {
        int index = IndexOf(card.Initiatives, i => i.Id == id);
        return index < 0 ? Edit.NotFound(NoInitiative(id)) : Edit.Done(card with { Initiatives = Replace(card.Initiatives, index, initiative with { Id = id }) });
    }

    /// <summary>Removes the initiative and drops it from the mitigations of the risks that name it.</summary>
    public static Edit RemoveInitiative(Scorecard card, string id)
    {
        int index = IndexOf(card.Initiatives, i => i.Id == id);
        return index < 0 ? Edit.NotFound(NoInitiative(id)) : Edit.Done(card with
        {
            Initiatives = RemoveAt(card.Initiatives, index),
            Risks = [.. card.Risks.Select(r => r.Mitigations.Contains(id) ? r with { Mitigations = [.. r.Mitigations.Where(m => m != id)] } : r)],
        });
    }

    // ---- risks ----

    public static Edit AddRisk(Scorecard card, Risk risk) => Edit.Done(card with { Risks = [.. card.Risks, risk] });

    public static Edit UpdateRisk(Scorecard card, string id, Risk risk)
    {
        int index = IndexOf(card.Risks, r => r.Id == id);
        return index < 0 ? Edit.NotFound(NoRisk(id)) : Edit.Done(card with { Risks = Replace(card.Risks, index, risk with { Id = id }) });
    }

    public static Edit RemoveRisk(Scorecard card, string id)
    {
        int index = IndexOf(card.Risks, r => r.Id == id);
        return index < 0 ? Edit.NotFound(NoRisk(id)) : Edit.Done(card with { Risks = RemoveAt(card.Risks, index) });
    }

    // ---- finding ----

    public static Objective? FindObjective(Scorecard card, string id) => card.AllObjectives().FirstOrDefault(o => o.Id == id);

    public static Measure? FindMeasure(Scorecard card, string id) => card.AllMeasures().FirstOrDefault(m => m.Id == id);

    /// <summary>Where an objective sits: its perspective and, for a sub-objective, its parent objective.</summary>
    public static (string Perspective, string? Parent)? LocateObjective(Scorecard card, string id)
    {
        foreach (var perspective in card.Perspectives)
        {
            if (Find(perspective.Objectives, null) is { } found)
            {
                return (perspective.Id, found.Parent);
            }
        }

        return null;

        (string? Parent, bool Found)? Find(IReadOnlyList<Objective> list, string? parent)
        {
            foreach (var objective in list)
            {
                if (objective.Id == id)
                {
                    return (parent, true);
                }

                if (Find(objective.Objectives, objective.Id) is { } inner)
                {
                    return inner;
                }
            }

            return null;
        }
    }

    /// <summary>The objective that holds measure <paramref name="id"/>.</summary>
    public static Objective? OwnerOfMeasure(Scorecard card, string id) => card.AllObjectives().FirstOrDefault(o => o.Measures.Any(m => m.Id == id));

    /// <summary>The ids of the objectives and measures in <paramref name="objectives"/>, at any depth.</summary>
    public static HashSet<string> Ids(IEnumerable<Objective> objectives)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Walk(IEnumerable<Objective> list)
        {
            foreach (var objective in list)
            {
                ids.Add(objective.Id);
                foreach (var measure in objective.Measures)
                {
                    ids.Add(measure.Id);
                }

                Walk(objective.Objectives);
            }
        }

        Walk(objectives);
        return ids;
    }

    // ---- helpers ----

    private static Scorecard WithoutReferences(Scorecard card, HashSet<string> removed) => card with
    {
        Links = [.. card.Links.Where(l => !removed.Contains(l.From) && !removed.Contains(l.To))],
        Tensions = [.. card.Tensions.Where(t => !removed.Contains(t.First) && !removed.Contains(t.Second))],
        Initiatives = [.. card.Initiatives.Select(i => i.Objectives.Any(removed.Contains) ? i with { Objectives = [.. i.Objectives.Where(o => !removed.Contains(o))] } : i)],
        Risks = [.. card.Risks.Select(r => r.Objectives.Any(removed.Contains) ? r with { Objectives = [.. r.Objectives.Where(o => !removed.Contains(o))] } : r)],
    };

    private static Scorecard MapObjectives(Scorecard card, Func<Objective, Objective> change)
    {
        IReadOnlyList<Objective> Map(IReadOnlyList<Objective> list) =>
            [.. list.Select(o => change(o with { Objectives = Map(o.Objectives) }))];
        return card with { Perspectives = [.. card.Perspectives.Select(p => p with { Objectives = Map(p.Objectives) })] };
    }

    private static IReadOnlyList<Objective> Without(IReadOnlyList<Objective> list, string id) =>
        [.. list.Where(o => o.Id != id).Select(o => o with { Objectives = Without(o.Objectives, id) })];

    private static int IndexOf<T>(IReadOnlyList<T> list, Func<T, bool> match)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static List<T> Insert<T>(IReadOnlyList<T> list, T item, int? position)
    {
        var copy = list.ToList();
        copy.Insert(Math.Clamp(position ?? copy.Count, 0, copy.Count), item);
        return copy;
    }

    private static List<T> Replace<T>(IReadOnlyList<T> list, int index, T item)
    {
        var copy = list.ToList();
        copy[index] = item;
        return copy;
    }

    private static List<T> RemoveAt<T>(IReadOnlyList<T> list, int index)
    {
        var copy = list.ToList();
        copy.RemoveAt(index);
        return copy;
    }

    private static string NoPerspective(string id) => $"There is no perspective '{id}'.";

    private static string NoObjective(string id) => $"There is no objective '{id}'.";

    private static string NoMeasure(string id) => $"There is no measure '{id}'.";

    private static string NoLink(string from, string to) => $"There is no link from '{from}' to '{to}'.";

    private static string NoTension(string first, string second) => $"There is no tension between '{first}' and '{second}'.";

    private static string NoInitiative(string id) => $"There is no initiative '{id}'.";

    private static string NoRisk(string id) => $"There is no risk '{id}'.";
}
