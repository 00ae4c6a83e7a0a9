using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OpenBsc.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ScaleOut : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "OrganisationId",
                table: "scorecard_versions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "OrganisationId",
                table: "archived_measures",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_scorecard_versions_OrganisationId_ScorecardId",
                table: "scorecard_versions",
                columns: new[] { "OrganisationId", "ScorecardId" });

            migrationBuilder.CreateIndex(
                name: "IX_archived_measures_OrganisationId_ScorecardId",
                table: "archived_measures",
                columns: new[] { "OrganisationId", "ScorecardId" });

            // Data step (added by hand, docs/database.md): existing rows take their scorecard's organisation.
            migrationBuilder.Sql("UPDATE scorecard_versions SET \"OrganisationId\" = (SELECT s.\"OrganisationId\" FROM scorecards s WHERE s.\"Id\" = scorecard_versions.\"ScorecardId\");");
            migrationBuilder.Sql("UPDATE archived_measures SET \"OrganisationId\" = (SELECT s.\"OrganisationId\" FROM scorecards s WHERE s.\"Id\" = archived_measures.\"ScorecardId\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropIndex(
                name: "IX_scorecard_versions_OrganisationId_ScorecardId",
                table: "scorecard_versions");

            migrationBuilder.DropIndex(
                name: "IX_archived_measures_OrganisationId_ScorecardId",
                table: "archived_measures");

            migrationBuilder.DropColumn(
                name: "OrganisationId",
                table: "scorecard_versions");

            migrationBuilder.DropColumn(
                name: "OrganisationId",
                table: "archived_measures");
        }
    }
}
