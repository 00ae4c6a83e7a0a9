using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Initiatives;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.ReportingCycle;

/// <summary>A value an owner must enter: the measure, and the period it has no value for (ended on <see cref="PeriodEnd"/>).</summary>
public sealed record MyValue(string ScorecardKey, string ScorecardName, string MeasureId, string MeasureName, Period Period, DateOnly PeriodEnd);

/// <summary>An open action owned by the user, on an objective or measure (<see cref="ItemName"/>).</summary>
public sealed record MyAction(string ScorecardKey, string ScorecardName, ActionEntry Action, string ItemName, bool OnMeasure, bool Late);

/// <summary>An initiative owned by the user that is behind its plan or late.</summary>
public sealed record MyInitiative(string ScorecardKey, string ScorecardName, string Id, string Name, InitiativeProgress Progress, DateOnly? End);

/// <summary>What a signed-in owner has to do, across the scorecards they may see, on the organisation's <see cref="Today"/>.</summary>
public sealed record MyItemsView(DateOnly Today, IReadOnlyList<MyValue> ToReport, IReadOnlyList<MyValue> LateValues, IReadOnlyList<MyAction> Actions, IReadOnlyList<MyInitiative> Initiatives)
{
    public int LateCount => LateValues.Count + Actions.Count(a => a.Late) + Initiatives.Count(i => i.Progress.Status == InitiativeStatus.Late);
}

/// <summary>
/// "My items": for the signed-in user, the values to report for each scorecard's current reporting period (the
/// measures they own with no value for their period at it), the values still missing from the period before (late),
/// their open actions (late past the due date) and their initiatives behind plan or late. Owners are matched by
/// e-mail, as everywhere (<see cref="UserAccess.OwnsItem"/>).
/// </summary>
public sealed class MyItems(ScorecardSnapshots snapshots, AccessQueries access, ItemActions actions, OrganisationClock clock)
{
    public async Task<MyItemsView> ForAsync(UserAccess user, CancellationToken cancellationToken = default)
    {
        var today = await clock.TodayAsync(user.OrganisationId, cancellationToken);
        var visible = await access.VisibleKeysAsync(user, cancellationToken);
        var toReport = new List<MyValue>();
        var late = new List<MyValue>();
        var initiatives = new List<MyInitiative>();
        var cards = new Dictionary<Guid, (string Key, ScorecardSnapshot Snapshot)>();
        foreach (string key in visible.Order(StringComparer.Ordinal))
        {
            if (await snapshots.GetAsync(user.OrganisationId, key, cancellationToken) is not { } snapshot)
            {
                continue;
            }

            cards[snapshot.Id] = (key, snapshot);
            var card = snapshot.Scorecard;
            var calendar = card.Calendar;
            var reportingEnd = snapshot.ReportingPeriod(today).End(calendar);
            var mine = card.AllMeasures().Where(m => !m.IsCalculated && user.OwnsItem(m.Owner)).ToList();
            if (mine.Count > 0)
            {
                var ids = mine.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
                var observed = snapshot.Bundle[0].Observations.Where(o => ids.Contains(o.Measure)).ToLookup(o => o.Measure, o => o.Period, StringComparer.Ordinal);
                foreach (var measure in mine)
                {
                    // The measure's last period ended by the end of the reporting period (an annual measure in a
                    // monthly scorecard reports last year's value until this year ends).
                    var period = Period.Containing(measure.Frequency, reportingEnd, calendar);
                    if (period.End(calendar) > reportingEnd)
                    {
                        period = period.Previous();
                    }

                    bool Has(Period p) => observed[measure.Id].Any(o => p.Contains(o, calendar));
                    if (!Has(period))
                    {
                        toReport.Add(new MyValue(key, card.Name, measure.Id, measure.Name, period, period.End(calendar)));
                    }

                    var before = period.Previous();
                    if (!Has(before))
                    {
                        late.Add(new MyValue(key, card.Name, measure.Id, measure.Name, before, before.End(calendar)));
                    }
                }
            }

            foreach (var initiative in card.Initiatives.Where(i => user.OwnsItem(i.Owner)))
            {
                var progress = InitiativeSchedule.Evaluate(initiative, today);
                if (progress.Status is InitiativeStatus.Behind or InitiativeStatus.Late)
                {
                    initiatives.Add(new MyInitiative(key, card.Name, initiative.Id, initiative.Name, progress, initiative.End));
                }
            }
        }

        var mineActions = new List<MyAction>();
        foreach (var (scorecardId, action) in await actions.OpenInAsync(cards.Keys, cancellationToken))
        {
            if (!user.OwnsItem(action.Owner) || !cards.TryGetValue(scorecardId, out var card))
            {
                continue;
            }

            var node = ReportingItems.Find(card.Snapshot, action.Item);
            mineActions.Add(new MyAction(card.Key, card.Snapshot.Scorecard.Name, action, node?.Name ?? action.Item, node?.Measure is not null, action.IsLate(today)));
        }

        return new MyItemsView(today, toReport, late, mineActions, initiatives);
    }
}
