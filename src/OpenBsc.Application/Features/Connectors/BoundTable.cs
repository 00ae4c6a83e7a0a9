using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;

namespace OpenBsc.Application.Features.Connectors;

/// <summary>
/// A source's rows for one binding, mapped to the columns of an observations file (measure, period, value, note,
/// segment): the import checks them exactly as it checks a CSV file, so a bad row gets the same error. Row 1 is the
/// header; the source's first row is row 2.
/// </summary>
internal sealed class BoundTable
{
    private readonly int[] _cells;
    private readonly string? _measure;

    private BoundTable(string scorecard, SourceTable table, string? measure, int[] cells)
    {
        Scorecard = scorecard;
        Table = table;
        _measure = measure;
        _cells = cells;
    }

    public string Scorecard { get; }

    public SourceTable Table { get; }

    /// <summary>Maps the binding's columns (any case) to the table's; a column the table lacks fails the run, naming what it has.</summary>
    public static BoundTable Map(StoredSourceBinding binding, string scorecard, SourceTable table)
    {
        int Find(string? name, string role, bool required)
        {
            if (name is null)
            {
                return -1;
            }

            for (int i = 0; i < table.Columns.Count; i++)
            {
                if (string.Equals(table.Columns[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            if (!required && table.Rows.Count == 0)
            {
                return -1;
            }

            string have = table.Columns.Count == 0 ? "none" : string.Join(", ", table.Columns);
            throw new ConnectorException($"the rows for scorecard '{scorecard}' have no column '{name}' for the {role} (columns: {have})");
        }

        bool any = table.Rows.Count > 0;
        int[] cells =
        [
            binding.Measure is null ? Find(binding.MeasureColumn, "measure", any) : -1,
            Find(binding.PeriodColumn, "period", any),
            Find(binding.ValueColumn, "value", any),
            Find(binding.NoteColumn, "note", any),
            Find(binding.SegmentColumn, "segment", any),
        ];
        return new BoundTable(scorecard, table, binding.Measure, cells);
    }

    private string? Cell(string?[] row, int column) => column == 0 && _measure is not null ? _measure : _cells[column] < 0 ? null : row[_cells[column]];

    public IEnumerable<PreviewRow> Preview() =>
        Table.Rows.Select((row, i) => new PreviewRow(i + 2, Scorecard, Cell(row, 0), Cell(row, 1), Cell(row, 2), Cell(row, 3), Cell(row, 4)));

    public ITableReader Reader() => new Rows(this);

    private sealed class Rows(BoundTable table) : ITableReader
    {
        private int _next = -1;

        public bool TrailingCellsOptional => false;

        public ValueTask<bool> NextAsync(TableRow row, CancellationToken cancellationToken)
        {
            row.Clear();
            if (_next == -1)
            {
                row.Number = 1;
                foreach (string column in ObservationImport.Columns)
                {
                    row.AddCell(column);
                }
            }
            else if (_next < table.Table.Rows.Count)
            {
                var cells = table.Table.Rows[_next];
                row.Number = _next + 2;
                for (int c = 0; c < 5; c++)
                {
                    row.AddCell(table.Cell(cells, c) ?? "");
                }
            }
            else
            {
                return ValueTask.FromResult(false);
            }

            _next++;
            return ValueTask.FromResult(true);
        }

        public void Dispose()
        {
        }
    }
}
