using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBsc.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Administration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastSignInAt",
                table: "users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DateFormat",
                table: "organisations",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "yyyy-MM-dd");

            migrationBuilder.AddColumn<bool>(
                name: "DecimalComma",
                table: "organisations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "FiscalYearStart",
                table: "organisations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "SmtpFrom",
                table: "organisations",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SmtpHost",
                table: "organisations",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SmtpPasswordProtected",
                table: "organisations",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SmtpPort",
                table: "organisations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 25);

            migrationBuilder.AddColumn<string>(
                name: "SmtpSecurity",
                table: "organisations",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "auto");

            migrationBuilder.AddColumn<string>(
                name: "SmtpUser",
                table: "organisations",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "StatusGreenFrom",
                table: "organisations",
                type: "REAL",
                nullable: false,
                defaultValue: 0.90000000000000002);

            migrationBuilder.AddColumn<double>(
                name: "StatusYellowFrom",
                table: "organisations",
                type: "REAL",
                nullable: false,
                defaultValue: 0.59999999999999998);

            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "organisations",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "UTC");

            migrationBuilder.CreateTable(
                name: "invitations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InvitedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_invitations_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_invitations_Hash",
                table: "invitations",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_invitations_OrganisationId_Email",
                table: "invitations",
                columns: new[] { "OrganisationId", "Email" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "invitations");

            migrationBuilder.DropColumn(
                name: "LastSignInAt",
                table: "users");

            migrationBuilder.DropColumn(
                name: "DateFormat",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "DecimalComma",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "FiscalYearStart",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "SmtpFrom",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "SmtpHost",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "SmtpPasswordProtected",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "SmtpPort",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "SmtpSecurity",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "SmtpUser",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "StatusGreenFrom",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "StatusYellowFrom",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "organisations");
        }
    }
}
