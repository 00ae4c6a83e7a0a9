namespace OpenBsc.Application.Features.Security;

/// <summary>What a user may do, in increasing order: each role may do everything the roles below it may.</summary>
public enum AccessRole
{
    /// <summary>No access (an organisation role for users who see only the scorecards granted to them).</summary>
    None = 0,

    /// <summary>Reads pages, scores, analyses and the API.</summary>
    Viewer = 1,

    /// <summary>Also enters data, but only for the measures whose <c>owner</c> is the user's e-mail.</summary>
    DataUpdater = 2,

    /// <summary>Also edits scorecards, enters any measure's data and approves submitted values.</summary>
    Editor = 3,

    /// <summary>Also manages users, roles, approval settings and reads the audit log.</summary>
    Administrator = 4,
}

/// <summary>The words used for roles on the command line, in the API and on pages.</summary>
public static class AccessRoles
{
    public static string Name(AccessRole role) => role switch
    {
        AccessRole.Administrator => "administrator",
        AccessRole.Editor => "editor",
        AccessRole.DataUpdater => "updater",
        AccessRole.Viewer => "viewer",
        _ => "none",
    };

    public const string Accepted = "administrator, editor, updater (measure owner), viewer or none";

    public static bool TryParse(string? text, out AccessRole role)
    {
        role = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "administrator" or "admin" => AccessRole.Administrator,
            "editor" or "scorecard-editor" => AccessRole.Editor,
            "updater" or "data-updater" or "owner" or "measure-owner" => AccessRole.DataUpdater,
            "viewer" => AccessRole.Viewer,
            "none" => AccessRole.None,
            _ => (AccessRole)(-1),
        };
        return Enum.IsDefined(role);
    }
}
