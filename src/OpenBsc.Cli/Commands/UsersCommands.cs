using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Security;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>The user name (e-mail) a user command acts on.</summary>
public class UserSettings : DataSettings
{
    [CommandArgument(0, "<USER>")]
    [Description("The user's e-mail address (or admin).")]
    public string User { get; init; } = "";
}

/// <summary>Runs a user command as the operating-system user (named in the audit log) and maps its result to an exit code.</summary>
internal static class UserCommand
{
    public static int Run(DataSettings settings, Func<Users, UserResult> work, Func<UserResult, string> success)
    {
        int code = ExitCodes.Success;
        int db = Database.Run(settings, services =>
        {
            var result = work(services.GetRequiredService<Users>());
            if (result.Succeeded)
            {
                Console.Out.WriteLine(success(result));
            }
            else
            {
                Console.Error.WriteLine($"error: {result.Problem}");
                code = result.NotFound ? ExitCodes.InvalidInput : ExitCodes.Conflict;
            }
        }, create: false);
        return db != ExitCodes.Success ? db : code;
    }
}

/// <summary><c>openbsc users add EMAIL --role ROLE</c>: a new user with a one-time password, printed once.</summary>
public sealed class UsersAddCommand : Command<UsersAddCommand.Settings>
{
    public sealed class Settings : UserSettings
    {
        [CommandOption("--role <ROLE>")]
        [Description("administrator, editor, updater (measure owner) or viewer (default viewer).")]
        public string Role { get; init; } = "viewer";

        [CommandOption("--organisation <NAME>")]
        [Description("The user's organisation (created when new; default the database's first).")]
        public string? Organisation { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!AccessRoles.TryParse(settings.Role, out var role))
        {
            Console.Error.WriteLine($"error: --role '{settings.Role}' is not a role: use {AccessRoles.Accepted}.");
            return ExitCodes.InvalidInput;
        }

        return UserCommand.Run(settings, users => users.AddAsync(settings.User, role, settings.Organisation, cancellationToken).GetAwaiter().GetResult(),
            r => $"added {settings.User} ({AccessRoles.Name(role)}); one-time password: {r.OneTimePassword} (to be changed at first sign-in; not shown again)");
    }
}

/// <summary><c>openbsc users list</c>.</summary>
public sealed class UsersListCommand : Command<UsersListCommand.Settings>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public sealed class Settings : DataSettings
    {
        [CommandOption("--json")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Database.Run(settings, services =>
        {
            using var scope = services.CreateScope();
            var rows = scope.ServiceProvider.GetRequiredService<Users>().ListAsync(cancellationToken).GetAwaiter().GetResult();
            if (settings.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, Web));
                return;
            }

            foreach (var u in rows)
            {
                Console.Out.WriteLine($"{u.UserName}\t{u.Organisation}\t{u.Role}{(u.Disabled ? "\tdisabled" : "")}{(u.MustChangePassword ? "\tone-time password" : "")}{(u.ScorecardRoles.Count > 0 ? "\t" + string.Join(' ', u.ScorecardRoles) : "")}");
            }
        }, create: false);
}

/// <summary><c>openbsc users disable USER</c> (<c>--enable</c> undoes it): sessions and tokens stop at once.</summary>
public sealed class UsersDisableCommand : Command<UsersDisableCommand.Settings>
{
    public sealed class Settings : UserSettings
    {
        [CommandOption("--enable")]
        [Description("Enable the user again instead.")]
        public bool Enable { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        UserCommand.Run(settings, users => users.DisableAsync(settings.User, !settings.Enable).GetAwaiter().GetResult(),
            _ => settings.Enable ? $"enabled {settings.User}" : $"disabled {settings.User}: their sessions and API tokens stop working now");
}

/// <summary><c>openbsc users reset USER</c>: a new one-time password (printed once); sessions end.</summary>
public sealed class UsersResetCommand : Command<UserSettings>
{
    public override int Execute(CommandContext context, UserSettings settings, CancellationToken cancellationToken) =>
        UserCommand.Run(settings, users => users.ResetAsync(settings.User).GetAwaiter().GetResult(),
            r => $"new one-time password for {settings.User}: {r.OneTimePassword} (to be changed at first sign-in; not shown again)");
}

/// <summary><c>openbsc users role USER ROLE [--scorecard KEY]</c>.</summary>
public sealed class UsersRoleCommand : Command<UsersRoleCommand.Settings>
{
    public sealed class Settings : UserSettings
    {
        [CommandArgument(1, "<ROLE>")]
        [Description("administrator, editor, updater, viewer or none.")]
        public string Role { get; init; } = "";

        [CommandOption("--scorecard <KEY>")]
        [Description("Set the role on this scorecard only (none removes it).")]
        public string? Scorecard { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!AccessRoles.TryParse(settings.Role, out var role))
        {
            Console.Error.WriteLine($"error: '{settings.Role}' is not a role: use {AccessRoles.Accepted}.");
            return ExitCodes.InvalidInput;
        }

        return UserCommand.Run(settings, users => users.SetRoleAsync(settings.User, role, settings.Scorecard, cancellationToken).GetAwaiter().GetResult(),
            _ => $"{settings.User} is now {AccessRoles.Name(role)}{(settings.Scorecard is null ? "" : $" on scorecard {settings.Scorecard}")}");
    }
}
