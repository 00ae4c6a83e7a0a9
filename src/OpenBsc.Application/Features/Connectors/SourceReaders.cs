using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using OpenBsc.Application.Features.Observations;

namespace OpenBsc.Application.Features.Connectors;

/// <summary>How to reach a source, with its secret in clear (held only for the run).</summary>
internal sealed record SourceConnection(string Name, string Kind, string Address, string? Format, string? RowsPath, string Auth, string? AuthName, string? Secret);

/// <summary>What a source answered: its column names and rows of text cells (null: no value), in order.</summary>
internal sealed record SourceTable(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows);

/// <summary>
/// Reads a source within the run's limits: SQL in a read-only transaction with a statement timeout, HTTP through a
/// handler that checks every address it connects to (redirects included) against <see cref="ConnectorSettings.Refusal"/>.
/// Errors become <see cref="ConnectorException"/> messages with the secret removed.
/// </summary>
internal static class SourceReaders
{
    public static DbConnectionStringBuilder Builder(string kind, string address) => kind switch
    {
        "postgresql" => new NpgsqlConnectionStringBuilder(address),
        "sqlite" => new SqliteConnectionStringBuilder(address),
        "mysql" => new MySqlConnectionStringBuilder(address),
        _ => throw new ArgumentException($"not a database kind: {kind}"),
    };

    public static async Task<SourceTable> ReadAsync(SourceConnection source, string query, ConnectorSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            return source.Kind == "http"
                ? await ReadHttpAsync(source, query, settings, timeout.Token)
                : await ReadSqlAsync(source, query, settings, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectorException($"the source did not answer within {settings.Timeout.TotalSeconds:N0} s (the time limit)");
        }
        catch (ConnectorException)
        {
            throw;
        }
        catch (Exception e) when (e is DbException or HttpRequestException or IOException or SocketException or JsonException or InvalidOperationException or ArgumentException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            var refusal = e.InnerException as ConnectorException ?? e.InnerException?.InnerException as ConnectorException;
            if (refusal is not null)
            {
                throw refusal;
            }

            if (e is MySqlException { ErrorCode: MySqlErrorCode.QueryInterrupted or MySqlErrorCode.CommandTimeoutExpired } || e is NpgsqlException { InnerException: TimeoutException } || e is PostgresException { SqlState: "57014" })
            {
                throw new ConnectorException($"the source did not answer within {settings.Timeout.TotalSeconds:N0} s (the time limit)");
            }

            throw new ConnectorException(Scrub(e.Message, source.Secret));
        }
    }

    /// <summary>The message with the secret replaced, however a driver or server chose to repeat it.</summary>
    public static string Scrub(string message, string? secret) =>
        string.IsNullOrEmpty(secret) ? message : message.Replace(secret, "(secret)", StringComparison.Ordinal);

    private static async Task<SourceTable> ReadSqlAsync(SourceConnection source, string query, ConnectorSettings settings, CancellationToken cancellationToken)
    {
        int seconds = Math.Max(1, (int)Math.Ceiling(settings.Timeout.TotalSeconds));
        await using DbConnection connection = Connect(source, seconds);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = source.Kind switch
        {
            "mysql" => await ((MySqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, isReadOnly: true, cancellationToken),
            _ => await connection.BeginTransactionAsync(cancellationToken),
        };
        if (source.Kind == "postgresql")
        {
            // Read-only and bounded by the server itself, so a query that hangs is stopped where it runs.
            await ExecuteAsync(connection, transaction, $"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {seconds * 1000}", cancellationToken);
        }
        else if (source.Kind == "mysql")
        {
            bool mariaDb = connection.ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
            await ExecuteAsync(connection, transaction, mariaDb ? $"SET SESSION max_statement_time = {seconds}" : $"SET SESSION MAX_EXECUTION_TIME = {seconds * 1000}", cancellationToken);
        }
        else
        {
            await ExecuteAsync(connection, transaction, "PRAGMA query_only = 1", cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = query;
        command.CommandTimeout = seconds;
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<string?[]>();
        long bytes = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == settings.MaxRows)
            {
                throw new ConnectorException($"the query returned more than {settings.MaxRows:N0} rows (the row limit)");
            }

            var cells = new string?[columns.Count];
            for (int i = 0; i < cells.Length; i++)
            {
                cells[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : Text(reader.GetValue(i));
                bytes += cells[i]?.Length ?? 0;
            }

            if (bytes > settings.MaxBytes)
            {
                throw new ConnectorException($"the query returned more than {settings.MaxBytes:N0} bytes of text (the size limit)");
            }

            rows.Add(cells);
        }

        return new SourceTable(columns, rows);
    }

    private static DbConnection Connect(SourceConnection source, int seconds)
    {
        var builder = Builder(source.Kind, source.Address);
        switch (builder)
        {
            case NpgsqlConnectionStringBuilder pg:
                pg.Password = source.Secret;
                pg.Timeout = Math.Min(seconds, 1024);
                pg.CommandTimeout = seconds;
                pg.Pooling = false;
                return new NpgsqlConnection(pg.ConnectionString);
            case MySqlConnectionStringBuilder my:
                my.Password = source.Secret;
                my.ConnectionTimeout = (uint)seconds;
                my.DefaultCommandTimeout = (uint)seconds;
                my.Pooling = false;
                return new MySqlConnection(my.ConnectionString);
            default:
                var lite = (SqliteConnectionStringBuilder)builder;
                // Never created and never written: a read-only connection on an existing file.
                lite.Mode = SqliteOpenMode.ReadOnly;
                lite.Pooling = false;
                return new SqliteConnection(lite.ConnectionString);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Text(object value) => value switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("s", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static async Task<SourceTable> ReadHttpAsync(SourceConnection source, string path, ConnectorSettings settings, CancellationToken cancellationToken)
    {
        var origin = new Uri(source.Address);
        var uri = origin;
        if (path.Length > 0)
        {
            uri = new Uri(uri, path);
        }

        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.Zero,
            // Every connection, to every address a name resolves to, is checked when it is made: a name that resolves
            // to a private address later (DNS rebinding) is refused as well as one that does at first.
            ConnectCallback = (context, token) => ConnectAsync(context.DnsEndPoint, settings, token),
        };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        for (int redirects = 0; ; redirects++)
        {
            if (uri.Scheme is not ("http" or "https"))
            {
                throw new ConnectorException($"the source redirected to '{uri.Scheme}:', which is not http(s)");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd(source.Format == "json" ? "application/json" : "text/csv");
            if (uri.IdnHost == origin.IdnHost && uri.Port == origin.Port)
            {
                // The secret goes to the source's own host only, never to where a redirect points elsewhere.
                Authorise(request, source);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (redirects >= settings.MaxRedirects)
                {
                    throw new ConnectorException($"the source redirected more than {settings.MaxRedirects} times");
                }

                uri = new Uri(uri, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ConnectorException($"the source answered {(int)response.StatusCode} {response.ReasonPhrase} for {Shown(uri)}");
            }

            if (response.Content.Headers.ContentLength is { } length && length > settings.MaxBytes)
            {
                throw new ConnectorException($"the source answers {length:N0} bytes, more than {settings.MaxBytes:N0} (the size limit)");
            }

            byte[] body = await ReadBoundedAsync(await response.Content.ReadAsStreamAsync(cancellationToken), settings.MaxBytes, cancellationToken);
            return source.Format == "json" ? Json(body, source.RowsPath, settings) : await CsvAsync(body, settings, cancellationToken);
        }
    }

    private static string Shown(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private static void Authorise(HttpRequestMessage request, SourceConnection source)
    {
        switch (source.Auth)
        {
            case "bearer" when source.Secret is not null:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", source.Secret);
                break;
            case "basic":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{source.AuthName}:{source.Secret}")));
                break;
            case "header" when source.AuthName is not null:
                request.Headers.TryAddWithoutValidation(source.AuthName, source.Secret);
                break;
        }
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, ConnectorSettings settings, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = IPAddress.TryParse(endPoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        foreach (var address in addresses)
        {
            if (settings.Refusal(address) is { } why)
            {
                throw new ConnectorException($"refused to connect to {endPoint.Host} ({address}): {why}; an administrator can allow it in the configuration (OpenBsc:Connectors)");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        await using (content)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new ConnectorException($"the source answered more than {maxBytes:N0} bytes (the size limit)");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    /// <summary>A pushed CSV file, read within the size and row limits.</summary>
    public static async Task<SourceTable> ReadCsvAsync(Stream content, ConnectorSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await CsvAsync(await ReadBoundedAsync(content, settings.MaxBytes, cancellationToken), settings, cancellationToken);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new ConnectorException("the file is not UTF-8 text");
        }
    }

    private static async Task<SourceTable> CsvAsync(byte[] body, ConnectorSettings settings, CancellationToken cancellationToken)
    {
        using var reader = new CsvTableReader(new MemoryStream(body));
        var row = new TableRow();
        if (!await reader.NextAsync(row, cancellationToken))
        {
            return new SourceTable([], []);
        }

        var columns = Enumerable.Range(0, row.Count).Select(i => row[i].Trim().TrimStart('\uFEFF').ToString()).ToList();
        var rows = new List<string?[]>();
        while (await reader.NextAsync(row, cancellationToken))
        {
            if (row.Problem is { } problem)
            {
                throw new ConnectorException($"the CSV could not be read at line {row.Number}: expected {problem.Expected}");
            }

            if (rows.Count == settings.MaxRows)
            {
                throw new ConnectorException($"the source answered more than {settings.MaxRows:N0} rows (the row limit)");
            }

            rows.Add([.. Enumerable.Range(0, columns.Count).Select(i => i < row.Count ? row[i].ToString() : null)]);
        }

        return new SourceTable(columns, rows);
    }

    private static SourceTable Json(byte[] body, string? rowsPath, ConnectorSettings settings)
    {
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        var node = document.RootElement;
        string path = (rowsPath ?? "").Trim();
        path = path.StartsWith('$') ? path[1..] : path;
        foreach (string step in path.Split(['.', '['], StringSplitOptions.RemoveEmptyEntries))
        {
            string name = step.TrimEnd(']');
            if (node.ValueKind == JsonValueKind.Array && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < node.GetArrayLength())
            {
                node = node[index];
            }
            else if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name.Trim('\'', '"'), out var child))
            {
                node = child;
            }
            else
            {
                throw new ConnectorException($"the JSON has nothing at '{rowsPath}' (no '{name}')");
            }
        }

        if (node.ValueKind != JsonValueKind.Array)
        {
            throw new ConnectorException($"the JSON at '{(path.Length == 0 ? "$" : rowsPath)}' is {node.ValueKind.ToString().ToLowerInvariant()}, expected an array of rows");
        }

        var columns = new List<string>();
        var objects = new List<Dictionary<string, string?>>();
        foreach (var item in node.EnumerateArray())
        {
            if (objects.Count == settings.MaxRows)
            {
                throw new ConnectorException($"the source answered more than {settings.MaxRows:N0} rows (the row limit)");
            }

            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ConnectorException($"row {objects.Count + 1} of the JSON is {item.ValueKind.ToString().ToLowerInvariant()}, expected an object such as {{\"period\": \"2026-03\", \"value\": 12.5}}");
            }

            var cells = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in item.EnumerateObject())
            {
                if (!cells.ContainsKey(property.Name) && !columns.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    columns.Add(property.Name);
                }

                cells[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    JsonValueKind.String => property.Value.GetString(),
                    _ => property.Value.GetRawText(),
                };
            }

            objects.Add(cells);
        }

        return new SourceTable(columns, [.. objects.Select(o => columns.Select(c => o.GetValueOrDefault(c)).ToArray())]);
    }
}
