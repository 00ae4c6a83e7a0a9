using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBsc.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ScorecardEditing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ArchivedAt",
                table: "scorecards",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "archived_measures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ScorecardId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MeasureKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ObjectiveKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Definition = table.Column<string>(type: "TEXT", nullable: false),
                    ArchivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ArchivedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_archived_measures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_archived_measures_scorecards_ScorecardId",
                        column: x => x.ScorecardId,
                        principalTable: "scorecards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scorecard_versions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ScorecardId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    Definition = table.Column<string>(type: "TEXT", nullable: false),
                    SavedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SavedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Change = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scorecard_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_scorecard_versions_scorecards_ScorecardId",
                        column: x => x.ScorecardId,
                        principalTable: "scorecards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_archived_measures_ScorecardId_MeasureKey",
                table: "archived_measures",
                columns: new[] { "ScorecardId", "MeasureKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_scorecard_versions_ScorecardId_Version",
                table: "scorecard_versions",
                columns: new[] { "ScorecardId", "Version" },
                unique: true);

            // Scorecards stored before versions were kept get their current definition as their first kept version,
            // so that a writer holding it can be told what changes after it.
            migrationBuilder.Sql("INSERT INTO scorecard_versions (ScorecardId, Version, Definition, SavedAt, Change) SELECT Id, Version, Definition, UpdatedAt, 'stored before versions were kept' FROM scorecards;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archived_measures");

            migrationBuilder.DropTable(
                name: "scorecard_versions");

            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "scorecards");
        }
    }
}
