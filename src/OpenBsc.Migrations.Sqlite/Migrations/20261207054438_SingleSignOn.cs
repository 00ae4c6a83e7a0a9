using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBsc.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "OidcAuthority",
                table: "organisations",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OidcClientId",
                table: "organisations",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OidcClientSecretProtected",
                table: "organisations",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OidcCreateAccounts",
                table: "organisations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "OidcDefaultRole",
                table: "organisations",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "Viewer");

            migrationBuilder.AddColumn<string>(
                name: "OidcEmailClaim",
                table: "organisations",
                type: "TEXT",
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
