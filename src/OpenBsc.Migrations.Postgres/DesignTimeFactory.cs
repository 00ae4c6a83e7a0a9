using Microsoft.EntityFrameworkCore.Design;
using OpenBsc.Application.Data;

namespace OpenBsc.Migrations.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model against PostgreSQL (see docs/database.md). Adding a
/// migration needs no server; the connection is only used by commands that touch a database.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<OpenBscDbContext>
{
    public OpenBscDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.ContextOptions(DatabaseOptions.ForPostgres(
            Environment.GetEnvironmentVariable("OPENBSC_DESIGN_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=openbsc_design")));
}
