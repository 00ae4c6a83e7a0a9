using System.Text;
using OpenBsc.Application.Features.Observations;

namespace OpenBsc.IntegrationTests.Observations;

/// <summary>Importing CSV observations into a stored scorecard: good files, every kind of bad row, corrections.</summary>
public abstract class ObservationImportTests(ObservationsApp fixture)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite(SqliteObservationsApp app) : ObservationImportTests(app), IClassFixture<SqliteObservationsApp>;

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres(PostgresObservationsApp app) : ObservationImportTests(app), IClassFixture<PostgresObservationsApp>;

    [Fact]
    public async Task ImportAsync_GoodCsv_StoresEveryRow()
    {
        string key = await fixture.NewScorecardAsync();
        // BOM, CRLF, quoted note with a comma, a doubled quote and a line break, a segment, an exponent, no final line end.
        string csv = "\uFEFFmeasure,period,value,note,segment\r\n"
            + "csat,2026-02,71.5,\"survey, \"\"Q1\"\"\nsecond line\",\r\n"
            + "share,2026-q1,-12,,smb\r\n"
            + "nps,2026-W07,1e2,,";

        var result = await fixture.ImportCsvAsync(key, csv);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(new ObservationImportSummary(key, 3, 3, 0, 0), result.Summary);
        var rows = await fixture.RowsAsync(key);
        Assert.Equal(4, rows.Count);
        Assert.Equal(("csat", "2026-02", 71.5, "survey, \"Q1\"\nsecond line", (string?)null), (rows[1].MeasureKey, rows[1].Period, rows[1].Value, rows[1].Note, rows[1].Segment));
        Assert.Equal(("share", "2026-Q1", -12.0, (string?)null, "smb"), (rows[2].MeasureKey, rows[2].Period, rows[2].Value, rows[2].Note, rows[2].Segment));
        Assert.Equal(("2026-W07", 100.0, "tester"), (rows[3].Period, rows[3].Value, rows[3].EnteredBy));
        Assert.Equal(new DateOnly(2026, 2, 9).DayNumber, rows[3].PeriodStart);
    }

    [Fact]
    public async Task ImportAsync_NotesBeyondAscii_AreStoredAsWritten()
    {
        string key = await fixture.NewScorecardAsync();
        // Accents, CJK, a character outside the BMP (a surrogate pair in .NET), an apostrophe: stored byte for byte.
        const string Note = "Größe ✓ 日本語 — 😀 l'équipe";

        var result = await fixture.ImportCsvAsync(key, $"measure,period,value,note,segment\ncsat,2026-03,64.25,{Note},\nshare,2026-q2,7,{Note},smb\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var rows = await fixture.RowsAsync(key);
        Assert.Equal(("csat", (string?)null, "2026-03", 64.25, Note), (rows[^2].MeasureKey, rows[^2].Segment, rows[^2].Period, rows[^2].Value, rows[^2].Note));
        Assert.Equal(("share", "smb", "2026-Q2", 7.0, Note), (rows[^1].MeasureKey, rows[^1].Segment, rows[^1].Period, rows[^1].Value, rows[^1].Note));
    }

    [Fact]
    public async Task ImportAsync_ColumnsInAnyOrderAndCase_AreRead()
    {
        string key = await fixture.NewScorecardAsync();

        var result = await fixture.ImportCsvAsync(key, "Value, Period ,MEASURE\n5,2026-03,nps\n");

        Assert.Equal(1, result.Summary?.Added);
        Assert.Contains(await fixture.RowsAsync(key), r => r is { MeasureKey: "nps", Period: "2026-03", Value: 5 });
    }

    public static TheoryData<string, string, long, string, string, string> BadFiles => new()
    {
        { "unknown measure", "measure,period,value\ncsat,2026-02,1\ncsta,2026-03,2\n", 3, "measure", "csta", "did you mean 'csat'?" },
        { "calculated measure", "measure,period,value\ncalls,2026-02,1\n", 2, "measure", "calls", "'calls' is calculated (formula [csat] * 2)" },
        { "bad period", "measure,period,value\ncsat,2026-13,1\n", 2, "period", "2026-13", "2026-Q1 (quarter)" },
        { "date number period", "measure,period,value\ncsat,46082,1\n", 2, "period", "46082", "Excel may have turned the period into a date" },
        { "not a number", "measure,period,value\ncsat,2026-02,\"12,5\"\n", 2, "value", "12,5", "a number such as 12.5" },
        { "NaN", "measure,period,value\ncsat,2026-02,NaN\n", 2, "value", "NaN", "a finite number" },
        { "Infinity", "measure,period,value\ncsat,2026-02,-Infinity\n", 2, "value", "-Infinity", "a finite number" },
        { "overflow", "measure,period,value\ncsat,2026-02,1e999\n", 2, "value", "1e999", "a finite number" },
        { "missing column", "measure,period,value\ncsat,2026-02\n", 2, "value", "", "3 cells as in the header (measure,period,value), found 2" },
        { "extra column", "measure,period,value\ncsat,2026-02,1,oops\n", 2, "column 4", "oops", "3 cells as in the header" },
        { "unterminated quote", "measure,period,value,note\ncsat,2026-02,1,\"never closed\ncsat,2026-03,2,\n", 2, "note", "\"never closed", "a closing quote" },
        { "text after quote", "measure,period,value\n\"csat\"x,2026-02,1\n", 2, "measure", "x", "a comma or the end of the line" },
        { "stray quote", "measure,period,value\ncs\"at,2026-02,1\n", 2, "measure", "cs\"at", "a quote (\") only around a whole cell" },
        { "empty file", "", 1, "(header)", "", "the file is empty" },
        { "header misspelt", "mesure,period,value\ncsat,2026-02,1\n", 1, "column 1", "mesure", "did you mean 'measure'?" },
        { "header missing value", "measure,period\ncsat,2026-02\n", 1, "(header)", "measure,period", "a 'value' column" },
        { "unknown segment", "measure,period,value,segment\ncsat,2026-02,1,smbb\n", 2, "segment", "smbb", "a segment of this scorecard (smb, enterprise) (did you mean 'smb'?)" },
        { "segment on a measure not tracked per segment", "measure,period,value,segment\ncsat,2026-02,1,smb\n", 2, "segment", "smb", "no segment: 'csat' is not tracked per segment (leave the cell empty)" },
        { "no segment for a measure tracked per segment", "measure,period,value,segment\nshare,2026-02,1,\n", 2, "segment", "", "a segment: 'share' is tracked per segment (smb, enterprise)" },
        { "long note", "measure,period,value,note\ncsat,2026-02,1," + new string('n', 2001) + "\n", 2, "note", new string('n', 40) + "…", "at most 2,000 characters, found 2,001" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ImportAsync_BadRow_ListsItAndStoresNothing(string because, string csv, long row, string column, string value, string expected)
    {
        string key = await fixture.NewScorecardAsync();
        long versionBefore = await fixture.DataVersionAsync(key);

        var result = await fixture.ImportCsvAsync(key, csv);

        Assert.False(result.Succeeded, because);
        var error = result.Errors[0];
        Assert.Equal((row, column, value), (error.Row, error.Column, error.Value));
        Assert.Contains(expected, error.Expected, StringComparison.Ordinal);
        // Nothing stored: only the setup's one observation, and the data version did not move.
        Assert.Single(await fixture.RowsAsync(key));
        Assert.Equal(versionBefore, await fixture.DataVersionAsync(key));
    }

    [Fact]
    public async Task ImportAsync_GoodRowsBeforeABadOne_AreRolledBack()
    {
        string key = await fixture.NewScorecardAsync();
        var csv = new StringBuilder("measure,period,value\n");
        for (int day = 1; day <= 28; day++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"nps,2026-02-{day:00},{day}\n");
        }

        csv.Append("nps,2026-02-30,1\n");

        var result = await fixture.ImportCsvAsync(key, csv.ToString());

        Assert.Equal(30, Assert.Single(result.Errors).Row);
        Assert.Single(await fixture.RowsAsync(key));
    }

    [Fact]
    public async Task ImportAsync_ABadRowAfterTensOfThousandsWritten_StoresNothing()
    {
        // 40,000 good rows: more than one write call (32,768 rows) has been stored (on PostgreSQL: streamed on an open
        // COPY) when the bad row comes; the import still keeps nothing.
        string key = await fixture.NewScorecardAsync();
        long versionBefore = await fixture.DataVersionAsync(key);
        var csv = new StringBuilder("measure,period,value\n");
        var day = new DateOnly(1950, 1, 1);
        for (int i = 0; i < 40_000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"nps,{day.AddDays(i):yyyy-MM-dd},{i}\n");
        }

        csv.Append("nps,2026-02-30,1\n");

        var result = await fixture.ImportCsvAsync(key, csv.ToString());

        Assert.Equal(40_002, Assert.Single(result.Errors).Row);
        Assert.Single(await fixture.RowsAsync(key));
        Assert.Equal(versionBefore, await fixture.DataVersionAsync(key));
    }

    [Fact]
    public async Task ImportAsync_ManyBadRows_ListsTheFirstHundredAndCountsAll()
    {
        string key = await fixture.NewScorecardAsync();
        var csv = new StringBuilder("measure,period,value\n");
        for (int i = 0; i < 250; i++)
        {
            csv.Append("csat,2026-02,x\n");
        }

        var result = await fixture.ImportCsvAsync(key, csv.ToString());

        Assert.Equal(ObservationImport.MaxListedErrors, result.Errors.Count);
        Assert.Equal(250, result.ErrorCount);
        Assert.Equal("and 150 more", result.More);
        Assert.Equal(101, result.Errors[^1].Row);
    }

    [Fact]
    public async Task ImportAsync_Corrections_SupersedeAndKeepHistory()
    {
        string key = await fixture.NewScorecardAsync();
        long versionBefore = await fixture.DataVersionAsync(key);

        // csat 2026-01 was 70 (stored): corrected to 72; nps 2026-01 is new, then corrected within the same file; csat 2026-02 new.
        var result = await fixture.ImportCsvAsync(key, "measure,period,value,note\ncsat,2026-01,72,recount\nnps,2026-01,10,\ncsat,2026-02,5,\nnps,2026-01,11,typo\n", "march.csv");
        var again = await fixture.ImportCsvAsync(key, "measure,period,value,note\ncsat,2026-01,72,recount\ncsat,2026-02,5,\n");

        Assert.Equal(new ObservationImportSummary(key, 4, 2, 2, 0), result.Summary);
        Assert.Equal(new ObservationImportSummary(key, 2, 0, 0, 2), again.Summary);
        var rows = await fixture.RowsAsync(key);
        var csat = rows.Where(r => r is { MeasureKey: "csat", Period: "2026-01" }).ToList();
        Assert.Equal([70.0, 72.0], csat.Select(r => r.Value));
        Assert.Equal(("tester", "import march.csv"), (csat[0].SupersededBy, csat[0].CorrectionReason));
        Assert.NotNull(csat[0].SupersededAt);
        Assert.Null(csat[1].SupersededAt);
        var nps = rows.Where(r => r is { MeasureKey: "nps", Period: "2026-01" }).ToList();
        Assert.Equal([10.0, 11.0], nps.Select(r => r.Value));
        Assert.Equal("import march.csv", nps[0].CorrectionReason);
        Assert.Equal("typo", nps[1].Note);
        // One bump for the import that changed something, none for the one that did not.
        Assert.Equal(versionBefore + 1, await fixture.DataVersionAsync(key));
    }

    [Fact]
    public async Task ImportAsync_NewValues_AreSeenByTheNextScore()
    {
        string key = await fixture.NewScorecardAsync();

        await fixture.ImportCsvAsync(key, "measure,period,value\ncsat,2026-05,88\n");
        string page = await fixture.App.Client.GetStringAsync(new Uri($"/api/v1/scorecards/{key}/scores?period=2026-05", UriKind.Relative));

        Assert.Contains("\"value\":88", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_UnknownScorecard_IsRefused()
    {
        var result = await fixture.ImportCsvAsync("no-such-card", "measure,period,value\ncsat,2026-02,1\n");

        Assert.Equal(ObservationFileRefusal.Kinds.ScorecardNotFound, result.Refusal?.Kind);
    }

    [Fact]
    public async Task ImportAsync_NotUtf8_IsRefusedNamingTheEncoding()
    {
        string key = await fixture.NewScorecardAsync();
        byte[] latin1 = [.. "measure,period,value,note\ncsat,2026-02,1,caf"u8.ToArray(), 0xE9, (byte)'\n'];

        var result = await fixture.Import.ImportAsync(key, new MemoryStream(latin1), ObservationFileFormat.Csv, "latin1.csv", "tester");

        Assert.Contains("not UTF-8", result.Refusal?.Message, StringComparison.Ordinal);
        Assert.Single(await fixture.RowsAsync(key));
    }
}
