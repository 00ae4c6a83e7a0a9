using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBsc.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LeanObservations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Written by hand: besides dropping the foreign key and the (OrganisationId, ScorecardId) index, the
            // table loses AUTOINCREMENT (a sqlite_sequence update per inserted row). EF's model cannot say "no
            // AUTOINCREMENT" in a way its snapshot keeps, so an EF-generated rebuild would put it back: a later
            // migration that rebuilds this table must be written the same way (docs/database.md).
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_observations" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_observations" PRIMARY KEY,
                    "OrganisationId" TEXT NOT NULL,
                    "ScorecardId" TEXT NOT NULL,
                    "MeasureKey" TEXT NOT NULL,
                    "Segment" TEXT NULL,
                    "Period" TEXT NOT NULL,
                    "PeriodStart" INTEGER NOT NULL,
                    "Value" REAL NOT NULL,
                    "Note" TEXT NULL,
                    "EnteredBy" TEXT NULL,
                    "EnteredAt" TEXT NOT NULL,
                    "SupersededAt" TEXT NULL,
                    "SupersededBy" TEXT NULL,
                    "CorrectionReason" TEXT NULL
                );
                INSERT INTO "ef_temp_observations" ("Id", "OrganisationId", "ScorecardId", "MeasureKey", "Segment", "Period", "PeriodStart", "Value", "Note", "EnteredBy", "EnteredAt", "SupersededAt", "SupersededBy", "CorrectionReason")
                SELECT "Id", "OrganisationId", "ScorecardId", "MeasureKey", "Segment", "Period", "PeriodStart", "Value", "Note", "EnteredBy", "EnteredAt", "SupersededAt", "SupersededBy", "CorrectionReason"
                FROM "observations";
                DROP TABLE "observations";
                ALTER TABLE "ef_temp_observations" RENAME TO "observations";
                CREATE INDEX "IX_observations_ScorecardId_MeasureKey_PeriodStart" ON "observations" ("ScorecardId", "MeasureKey", "PeriodStart");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_observations_OrganisationId_ScorecardId",
                table: "observations",
                columns: new[] { "OrganisationId", "ScorecardId" });

            migrationBuilder.AddForeignKey(
                name: "FK_observations_scorecards_ScorecardId",
                table: "observations",
                column: "ScorecardId",
                principalTable: "scorecards",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
