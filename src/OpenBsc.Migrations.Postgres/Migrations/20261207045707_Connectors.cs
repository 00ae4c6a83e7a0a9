using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OpenBsc.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Connectors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_sources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Address = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Format = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    RowsPath = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Auth = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    AuthName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SecretProtected = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Schedule = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Cron = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DaysAfterClose = table.Column<int>(type: "integer", nullable: false),
                    ScheduledThrough = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PushTokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_sources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_data_sources_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_sources_users_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "source_bindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceId = table.Column<long>(type: "bigint", nullable: false),
                    ScorecardId = table.Column<Guid>(type: "uuid", nullable: false),
                    Measure = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Query = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    MeasureColumn = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PeriodColumn = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ValueColumn = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    NoteColumn = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SegmentColumn = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_source_bindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_source_bindings_data_sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "data_sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_source_bindings_scorecards_ScorecardId",
                        column: x => x.ScorecardId,
                        principalTable: "scorecards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "source_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceId = table.Column<long>(type: "bigint", nullable: false),
                    Trigger = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RowsRead = table.Column<long>(type: "bigint", nullable: false),
                    Added = table.Column<int>(type: "integer", nullable: false),
                    Corrected = table.Column<int>(type: "integer", nullable: false),
                    Unchanged = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    RunBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_source_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_source_runs_data_sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "data_sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_data_sources_OrganisationId_Name",
                table: "data_sources",
                columns: new[] { "OrganisationId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_data_sources_OwnerId",
                table: "data_sources",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_data_sources_PushTokenHash",
                table: "data_sources",
                column: "PushTokenHash");

            migrationBuilder.CreateIndex(
                name: "IX_source_bindings_OrganisationId_SourceId",
                table: "source_bindings",
                columns: new[] { "OrganisationId", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_source_bindings_ScorecardId",
                table: "source_bindings",
                column: "ScorecardId");

            migrationBuilder.CreateIndex(
                name: "IX_source_bindings_SourceId",
                table: "source_bindings",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_source_runs_OrganisationId_SourceId_StartedAt",
                table: "source_runs",
                columns: new[] { "OrganisationId", "SourceId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_source_runs_SourceId",
                table: "source_runs",
                column: "SourceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "source_bindings");

            migrationBuilder.DropTable(
                name: "source_runs");

            migrationBuilder.DropTable(
                name: "data_sources");
        }
    }
}
