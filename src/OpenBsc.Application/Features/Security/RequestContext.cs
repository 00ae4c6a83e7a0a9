namespace OpenBsc.Application.Features.Security;

/// <summary>
/// The organisation and the actor of one flow of work, a scoped service: the web host sets it per request from the
/// signed-in user (AccessControl), the command line per verb (<c>cli:NAME</c>, and the organisation holding the
/// scorecard a verb names), background work per organisation it works in. The DbContexts of the scope carry it
/// (<see cref="Data.RequestDbContexts"/>): the scorecard query filter reads the organisation, the audit log and the
/// observation ledger the actor. Nothing is ambient: work outside a scope that set it runs as <see cref="System"/>.
/// </summary>
public sealed class RequestContext
{
    /// <summary>No organisation (every organisation's scorecards are visible) and the actor "system".</summary>
    public static readonly RequestContext System = new();

    /// <summary>The organisation whose scorecards this work sees and where new ones go; null: every organisation (command line, background work, demo).</summary>
    public Guid? OrganisationId { get; private set; }

    /// <summary>Who makes the changes: the signed-in user's name, <c>cli:NAME</c>, <c>demo</c>, <c>system</c>.</summary>
    public string Actor { get; private set; } = "system";

    /// <summary>Sets who and where; the edge of a flow of work calls it once, before the work.</summary>
    public RequestContext Set(Guid? organisationId, string actor)
    {
        if (ReferenceEquals(this, System))
        {
            throw new InvalidOperationException("The system context is shared and never changes: set the context of a scope.");
        }

        OrganisationId = organisationId;
        Actor = actor;
        return this;
    }
}
