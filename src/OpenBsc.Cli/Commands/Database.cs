using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;

namespace OpenBsc.Cli.Commands;

/// <summary>Opens the embedded database for a verb and maps its failures to exit code 2.</summary>
internal static class Database
{
    public static int Run(DataSettings settings, Action<IServiceProvider> work, bool create = true)
    {
        try
        {
            var options = settings.DatabaseOptions;
            DatabaseSetup.Prepare(options, create: create && settings.MayCreate);
            using var services = new ServiceCollection().AddOpenBscData(options).BuildServiceProvider();
            // Changes made from the command line are audited as the operating-system user.
            using (Application.Features.Security.AuditActor.Use("cli:" + Environment.UserName))
            {
                work(services);
            }

            return ExitCodes.Success;
        }
        catch (DatabaseUnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }
    }
}
