using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBsc.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LeanObservations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_observations_scorecards_ScorecardId",
                table: "observations");

            migrationBuilder.DropIndex(
                name: "IX_observations_OrganisationId_ScorecardId",
                table: "observations");
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
