using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBsc.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SegmentSeries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Segment",
                table: "observations",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Segment",
                table: "observations");
        }
    }
}
