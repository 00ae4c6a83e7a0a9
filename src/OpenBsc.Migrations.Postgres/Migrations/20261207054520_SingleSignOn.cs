using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBsc.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SingleSignOn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "LocalAccountsOff",
                table: "organisations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "OidcAuthority",
                table: "organisations",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OidcClientId",
                table: "organisations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OidcClientSecretProtected",
                table: "organisations",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OidcCreateAccounts",
                table: "organisations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "OidcDefaultRole",
                table: "organisations",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Viewer");

            migrationBuilder.AddColumn<string>(
                name: "OidcEmailClaim",
                table: "organisations",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "email");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LocalAccountsOff",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "OidcAuthority",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "OidcClientId",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "OidcClientSecretProtected",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "OidcCreateAccounts",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "OidcDefaultRole",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "OidcEmailClaim",
                table: "organisations");
        }
    }
}
