using OpenBsc.Application.Data;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>One running app with the demo organisation, shared by the tests of a class (they only read).</summary>
public abstract class DemoAppFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public RunningApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await RunningApp.StartAsync(provider);

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The demo app on the embedded SQLite file.</summary>
public sealed class SqliteDemoApp() : DemoAppFixture(DatabaseProvider.Sqlite);

/// <summary>The demo app on PostgreSQL.</summary>
public sealed class PostgresDemoApp() : DemoAppFixture(DatabaseProvider.Postgres);
