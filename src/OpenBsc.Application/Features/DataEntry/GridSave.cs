namespace OpenBsc.Application.Features.DataEntry;

/// <summary>
/// One cell as the user left it. <see cref="Value"/> is the text typed (a number, invariant culture; blank = no
/// value); <see cref="Base"/> is the observation row id the cell was read from, or <c>none</c>. A cell equal to what
/// was read is not a change and is skipped, so a form may send every cell.
/// </summary>
public sealed record CellEdit(string Measure, string Period, string? Value, string? Note = null, string? Reason = null, string? Base = DataEntryGrid.NoBase);

/// <summary>Why a cell cannot be saved: the cell, the field (<c>value</c>, <c>note</c>, <c>reason</c>, <c>measure</c>, <c>period</c>, <c>base</c>) and what was expected.</summary>
public sealed record CellProblem(string Measure, string Period, string Field, string Message)
{
    public override string ToString() => $"{Measure} {Period}, {Field}: {Message}";
}

/// <summary>Someone else wrote the cell since it was read: their value, who and when. The user's value was not saved.</summary>
public sealed record CellConflict(string Measure, string Period, long ObservationId, double TheirValue, string? TheirNote, string? EnteredBy, DateTime EnteredAt)
{
    public string Message => $"{EnteredBy ?? "someone"} entered {TheirValue.ToString(System.Globalization.CultureInfo.InvariantCulture)} at {EnteredAt:yyyy-MM-dd HH:mm} UTC after you opened the grid";
}

/// <summary>A value the save stored: added, or a correction of <see cref="Was"/>.</summary>
public sealed record SavedCell(string Measure, string Period, double Value, string? Note, double? Was, long ObservationId)
{
    public bool Corrected => Was is not null;
}

/// <summary>
/// What a save did. All or nothing: when there is any problem or conflict, <see cref="Saved"/> is empty and nothing
/// was stored.
/// </summary>
public sealed record GridSaveResult(IReadOnlyList<SavedCell> Saved, int Unchanged, IReadOnlyList<CellProblem> Problems, IReadOnlyList<CellConflict> Conflicts)
{
    public bool Succeeded => Problems.Count == 0 && Conflicts.Count == 0;
}
