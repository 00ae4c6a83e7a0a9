using Microsoft.EntityFrameworkCore.Design;
using OpenBsc.Application.Data;

namespace OpenBsc.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model against SQLite (see docs/database.md).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<OpenBscDbContext>
{
    public OpenBscDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.ContextOptions(new DatabaseOptions(Path.Combine(Path.GetTempPath(), "openbsc-design.db"))));
}
