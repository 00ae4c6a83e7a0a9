using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OpenBsc.Application.Data;

/// <summary>Text with a NUL character reached a save: it names the field; nothing was saved.</summary>
public sealed class NulCharacterException(string entity, string field)
    : Exception($"The {field} of the {entity} holds a NUL character (U+0000), which the database cannot store.")
{
    /// <summary>The field, as an API names it (camel case).</summary>
    public string Field { get; } = field;
}

/// <summary>
/// Refuses to save text holding a NUL character (U+0000), on every provider alike: PostgreSQL cannot store it (error
/// 22021), so text SQLite took would break a later copy to PostgreSQL. Every write through EF passes here (names,
/// notes, commentary, rules, users); the observation ledger, which writes without EF, checks its own text.
/// </summary>
public sealed class TextGuard : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? db)
    {
        if (db is null)
        {
            return;
        }

        db.ChangeTracker.DetectChanges();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is string text && text.Contains('\0', StringComparison.Ordinal) && (entry.State == EntityState.Added || property.IsModified))
                {
                    string name = property.Metadata.Name;
                    throw new NulCharacterException(entry.Metadata.ClrType.Name.Replace("Stored", "", StringComparison.Ordinal).ToLowerInvariant(), char.ToLowerInvariant(name[0]) + name[1..]);
                }
            }
        }
    }
}
