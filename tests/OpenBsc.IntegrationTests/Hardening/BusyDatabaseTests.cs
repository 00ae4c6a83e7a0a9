using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenBsc.Application.Data;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>
/// Writers never wait on a client, and a write that cannot get the database in time is a 503 with Retry-After, never
/// a 500 (defect 2); uploads run a bounded number at once (defect 7). On SQLite and PostgreSQL.
/// </summary>
public abstract class BusyDatabaseTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : BusyDatabaseTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : BusyDatabaseTests(DatabaseProvider.Postgres);

    private const string Observations = "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations";

    /// <summary>A CSV body that sends its header and a first row, then waits until released (a slow client).</summary>
    private sealed class TrickleContent(TaskCompletionSource release) : HttpContent
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("measure,period,value\ncost-per-ticket,2041-01,1\n"));
            await stream.FlushAsync();
            Started.TrySetResult();
            await release.Task;
            await stream.WriteAsync(Encoding.UTF8.GetBytes("cost-per-ticket,2041-02,2\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static Task<HttpResponseMessage> SlowUploadAsync(RunningApp app, string key, TrickleContent content)
    {
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return app.Client.PostAsync($"/api/v1/scorecards/{key}/observations/import", content);
    }

    [Fact]
    public async Task ASlowUpload_HoldsNoWriterBack_InItsScorecardOrAnyOther()
    {
        await using var app = await RunningApp.StartAsync(provider, configure: s => s with { DatabaseWaitSeconds = 5 });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var trickle = new TrickleContent(release);
        var upload = SlowUploadAsync(app, "customer-support", trickle);
        await trickle.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);

        // Meanwhile, values written to the same scorecard and to another one go through at once.
        var watch = Stopwatch.StartNew();
        using var same = await app.Client.PostAsJsonAsync(Observations, new { period = "2041-03", value = 3 });
        using var other = await app.Client.PostAsJsonAsync($"/api/v1/scorecards/{Demo}/measures/{await AMeasureOfAsync(app, Demo)}/observations", new { period = "2041-03", value = 3 });
        watch.Stop();

        Assert.True(same.StatusCode == HttpStatusCode.Created, $"{(int)same.StatusCode} {await same.Content.ReadAsStringAsync()}");
        Assert.True(other.StatusCode == HttpStatusCode.Created, $"{(int)other.StatusCode} {await other.Content.ReadAsStringAsync()}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"the writes waited {watch.Elapsed.TotalSeconds:F1} s for the upload");
        Assert.False(upload.IsCompleted);

        release.SetResult();
        using var done = await upload.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    private const string Demo = Application.Features.Demo.DemoOrganisation.CompanyKey;

    private static async Task<string> AMeasureOfAsync(RunningApp app, string key)
    {
        var snapshot = (await app.Services.GetRequiredService<Application.Features.Scorecards.ScorecardSnapshots>().GetAsync(key))!;
        return snapshot.Scorecard.AllMeasures().First(m => !m.IsCalculated && !m.IsSegmented).Id;
    }

    [Fact]
    public async Task AWriteThatCannotGetTheDatabaseInTime_Is503WithRetryAfter_ForTheApiAndThePages_AndStoresNothing()
    {
        await using var app = await RunningApp.StartAsync(provider, configure: s => s with { DatabaseWaitSeconds = 1 });
        string gridToken = await RunningApp.AntiforgeryTokenAsync(app.Client, "/scorecards/customer-support/data");

        await using (var held = await HoldAsync(app))
        {
            using var api = await app.Client.PostAsJsonAsync(Observations, new { period = "2041-04", value = 4 });
            var problem = JsonNode.Parse(await api.Content.ReadAsStringAsync())!;
            Assert.True(api.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)api.StatusCode} {problem}");
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(5), api.Headers.RetryAfter?.Delta);
            Assert.Equal("The database is busy", (string)problem["title"]!);

            using var page = await app.Client.PostAsync("/scorecards/customer-support/data", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = gridToken,
                ["_handler"] = "grid",
                ["v|cost-per-ticket|2041-04"] = "4",
                ["b|cost-per-ticket|2041-04"] = "none",
            }));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.NotNull(page.Headers.RetryAfter);
            Assert.Contains("The database is busy", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        await using var db = await app.Services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();
        Assert.Equal(0, await db.Observations.CountAsync(o => o.Period == "2041-04"));
        // Free again: the same write goes through.
        using var again = await app.Client.PostAsJsonAsync(Observations, new { period = "2041-04", value = 4 });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    /// <summary>Another writer holding what a write to customer-support needs: SQLite's write lock, PostgreSQL's row of the scorecard.</summary>
    private async Task<IAsyncDisposable> HoldAsync(RunningApp app)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var sqlite = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, DatabaseOptions.FileName)};Pooling=False");
            await sqlite.OpenAsync();
            await using var begin = sqlite.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
            return sqlite;
        }

        var postgres = new NpgsqlConnection(app.DatabaseConnection);
        await postgres.OpenAsync();
        await using var command = postgres.CreateCommand();
        command.CommandText = """BEGIN; SELECT 1 FROM scorecards WHERE "Key" = 'customer-support' FOR UPDATE;""";
        await command.ExecuteNonQueryAsync();
        return postgres;
    }

    [Fact]
    public async Task UploadsBeyondTheLimit_Are503WithRetryAfterAtOnce_NotQueued()
    {
        await using var app = await RunningApp.StartAsync(provider, configure: s => s with { MaxConcurrentUploads = 1 });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var trickle = new TrickleContent(release);
        var first = SlowUploadAsync(app, "customer-support", trickle);
        await trickle.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var watch = Stopwatch.StartNew();
        using var second = await app.Client.PostAsync("/api/v1/scorecards/customer-support/observations/import", new StringContent("measure,period,value\ncost-per-ticket,2041-05,5\n", Encoding.UTF8, "text/csv"));
        watch.Stop();
        using var page = await app.Client.PostAsync("/new-scorecard", new FormUrlEncodedContent([]));
        // Not an upload: other writes are not limited.
        using var plain = await app.Client.PostAsJsonAsync(Observations, new { period = "2041-06", value = 6 });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"the refusal took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);

        release.SetResult();
        using var done = await first.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        await using var db = await app.Services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();
        Assert.Equal(0, await db.Observations.CountAsync(o => o.Period == "2041-05"));
        using var later = await app.Client.PostAsync("/api/v1/scorecards/customer-support/observations/import", new StringContent("measure,period,value\ncost-per-ticket,2041-05,5\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }
}
