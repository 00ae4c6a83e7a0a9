using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;

namespace OpenBsc.Cli.Commands;

/// <summary>Opens the embedded database for a verb and maps its failures to exit code 2.</summary>
internal static partial class Database
{
    /// <summary>Who the command line's changes are audited as: the operating-system user.</summary>
    public static string Actor => "cli:" + Environment.UserName;

    public static int Run(DataSettings settings, Action<IServiceProvider> work, bool create = true)
    {
        try
        {
            var options = settings.DatabaseOptions;
            DatabaseSetup.Prepare(options, create: create && settings.MayCreate);
            using var services = new ServiceCollection().AddOpenBscData(options).BuildServiceProvider();
            using var scope = services.CreateScope();
            // Changes made from the command line are audited as the operating-system user.
            scope.ServiceProvider.GetRequiredService<RequestContext>().Set(null, Actor);
            work(scope.ServiceProvider);

            return ExitCodes.Success;
        }
        catch (DatabaseUnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on an existing database with one settings object of the web host's configuration,
    /// read from environment variables: the same keys with ':' written as '__' (<c>OpenBsc__Smtp__Host</c>). A bad
    /// value is exit code 1, named as the variable the user sets.
    /// </summary>
    public static int RunWith<TSettings>(DataSettings settings, Func<Func<string, string?>, TSettings> read, Func<IServiceProvider, int> work)
        where TSettings : class
    {
        TSettings configured;
        try
        {
            configured = read(key => Environment.GetEnvironmentVariable(EnvironmentName(key)));
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {ConfigurationKey().Replace(e.Message, m => EnvironmentName(m.Value))}");
            return ExitCodes.InvalidInput;
        }

        try
        {
            var options = settings.DatabaseOptions;
            DatabaseSetup.Prepare(options, create: false);
            using var services = new ServiceCollection().AddSingleton(configured).AddOpenBscData(options).BuildServiceProvider();
            using var scope = services.CreateScope();
            scope.ServiceProvider.GetRequiredService<RequestContext>().Set(null, Actor);
            return work(scope.ServiceProvider);
        }
        catch (DatabaseUnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }
    }

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    [GeneratedRegex(@"\bOpenBsc(:[A-Za-z0-9]+)+")]
    private static partial Regex ConfigurationKey();

    /// <summary>
    /// Runs <paramref name="work"/> in the organisation holding scorecard <paramref name="scorecardKey"/>, as a signed-in
    /// user's request runs in theirs. Keys are unique per organisation only; the command line has no user, so a key
    /// several organisations hold names the oldest organisation's scorecard (the one command-line imports go to), and
    /// a note on standard error names the organisations.
    /// </summary>
    public static int RunOnScorecard(DataSettings settings, string scorecardKey, Action<IServiceProvider> work, bool create = true) =>
        Run(settings, services =>
        {
            List<StoredOrganisation> holders;
            using (var db = services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContext())
            {
                holders = ScorecardKeys.HoldersAsync(db, scorecardKey).GetAwaiter().GetResult();
            }

            if (holders.Count > 1)
            {
                Console.Error.WriteLine($"note: scorecard '{scorecardKey}' exists in {holders.Count} organisations ({string.Join(", ", holders.Select(o => o.Name))}); using the oldest, {holders[0].Name}.");
            }

            if (holders.Count > 0)
            {
                services.GetRequiredService<RequestContext>().Set(holders[0].Id, Actor);
            }

            work(services);
        }, create);
}
