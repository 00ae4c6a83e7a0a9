using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace OpenBsc.Application.Data;

/// <summary>
/// Writes observation rows to PostgreSQL with binary COPY (Npgsql <c>BeginBinaryImport</c>): several times faster
/// than batched INSERTs for large imports. Runs on the context's connection, inside its current transaction, so
/// an import stays all or nothing. Any importer that has rows to append uses it (scorecard files, CSV files,
/// <c>openbsc db copy</c>).
/// </summary>
internal static class ObservationCopy
{
    /// <summary>Below this many new rows EF's batched INSERT is as fast and simpler to reason about.</summary>
    public const int Threshold = 1000;

    private const string Columns =
        "\"OrganisationId\", \"ScorecardId\", \"MeasureKey\", \"Segment\", \"Period\", \"PeriodStart\", \"Value\", \"Note\", " +
        "\"EnteredBy\", \"EnteredAt\", \"SupersededAt\", \"SupersededBy\", \"CorrectionReason\"";

    /// <summary>Whether <paramref name="db"/> runs on PostgreSQL (where COPY applies).</summary>
    public static bool Applies(OpenBscDbContext db) => db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// Appends <paramref name="rows"/>; with <paramref name="keepIds"/> their ids too (a copy between databases,
    /// after which the id sequence is moved past the highest id). Returns the number of rows written.
    /// </summary>
    public static async Task<ulong> WriteAsync(OpenBscDbContext db, IEnumerable<StoredObservation> rows, bool keepIds, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        ulong written;
        await using (var writer = await BeginAsync(connection, keepIds, cancellationToken))
        {
            // Synchronous writes: the importer buffers 8 KB and flushes itself; an await per value costs ~30% here.
            foreach (var row in rows)
            {
                WriteRow(writer, row, keepIds);
            }

            written = await writer.CompleteAsync(cancellationToken);
        }

        if (keepIds)
        {
            await MoveSequencePastAsync(db, "observations", cancellationToken);
        }

        return written;
    }

    /// <summary>Starts a binary COPY into observations on <paramref name="connection"/> (open, in the caller's transaction).</summary>
    public static Task<NpgsqlBinaryImporter> BeginAsync(NpgsqlConnection connection, bool keepIds, CancellationToken cancellationToken) =>
        connection.BeginBinaryImportAsync($"COPY observations ({(keepIds ? "\"Id\", " + Columns : Columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken);

    /// <summary>One row of a COPY begun by <see cref="BeginAsync"/> (synchronous: the importer writes to the server as its buffer fills).</summary>
    public static void WriteRow(NpgsqlBinaryImporter writer, StoredObservation row, bool keepIds)
    {
        writer.StartRow();
        if (keepIds)
        {
            writer.Write(row.Id, NpgsqlDbType.Bigint);
        }

        writer.Write(row.OrganisationId, NpgsqlDbType.Uuid);
        writer.Write(row.ScorecardId, NpgsqlDbType.Uuid);
        writer.Write(row.MeasureKey, NpgsqlDbType.Varchar);
        WriteOrNull(writer, row.Segment, NpgsqlDbType.Varchar);
        writer.Write(row.Period, NpgsqlDbType.Varchar);
        writer.Write(row.PeriodStart, NpgsqlDbType.Integer);
        writer.Write(row.Value, NpgsqlDbType.Double);
        WriteOrNull(writer, row.Note, NpgsqlDbType.Varchar);
        WriteOrNull(writer, row.EnteredBy, NpgsqlDbType.Varchar);
        writer.Write(Utc(row.EnteredAt), NpgsqlDbType.TimestampTz);
        if (row.SupersededAt is { } superseded)
        {
            writer.Write(Utc(superseded), NpgsqlDbType.TimestampTz);
        }
        else
        {
            writer.WriteNull();
        }

        WriteOrNull(writer, row.SupersededBy, NpgsqlDbType.Varchar);
        WriteOrNull(writer, row.CorrectionReason, NpgsqlDbType.Varchar);
    }

    /// <summary>After rows were written with their ids, the identity continues after the highest one.</summary>
    public static Task MoveSequencePastAsync(OpenBscDbContext db, string table, CancellationToken cancellationToken, string column = "Id")
    {
        // Table names cannot be parameters; only our own model's names reach here.
        if (!db.Model.GetEntityTypes().Any(e => e.GetTableName() == table && e.GetProperties().Any(p => p.GetColumnName() == column)))
        {
            throw new ArgumentException($"Not an OpenBsc table and column: {table}.{column}", nameof(table));
        }

#pragma warning disable EF1002 // the table name is one of the fixed names checked above
        return db.Database.ExecuteSqlRawAsync(
            $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), GREATEST((SELECT max(\"{column}\") FROM \"{table}\"), 1), (SELECT count(*) > 0 FROM \"{table}\"))",
            cancellationToken);
#pragma warning restore EF1002
    }

    /// <summary>Stored times are UTC by contract; SQLite hands them back unspecified, PostgreSQL's timestamptz wants them marked.</summary>
    public static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static void WriteOrNull(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(value, type);
        }
    }
}
