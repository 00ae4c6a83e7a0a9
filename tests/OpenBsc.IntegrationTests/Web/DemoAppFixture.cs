using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>One running app with the demo organisation, shared by the tests of a class (they only read).</summary>
public sealed class DemoAppFixture : IAsyncLifetime
{
    public RunningApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}
