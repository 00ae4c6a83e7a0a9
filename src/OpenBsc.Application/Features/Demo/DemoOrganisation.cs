using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Application.Features.Demo;

/// <summary>
/// The demo organisation (Northwind Ltd): a company scorecard that takes contributions from a customer-support
/// scorecard, with two years of monthly data. Shipped as scorecard files inside the assembly.
/// </summary>
public sealed class DemoOrganisation(ScorecardImport import)
{
    public const string CompanyKey = "northwind-2026";
    public const string SupportKey = "customer-support";

    /// <summary>The demo scorecards, the company first (as a bundle: it cascades from the support scorecard).</summary>
    public static IReadOnlyList<ScorecardData> Scorecards()
    {
        var bundle = new[] { Read("company.yaml"), Read("customer-support.yaml") };
        var errors = ScorecardValidator.ValidateCascade(bundle);
        return errors.Count == 0 ? bundle : throw new InvalidOperationException($"The demo scorecards are invalid: {string.Join("; ", errors)}");
    }

    public Task<IReadOnlyList<ImportSummary>> LoadAsync(CancellationToken cancellationToken = default) =>
        import.ImportAsync(Scorecards(), new Dictionary<string, string>(), "Northwind Ltd", "demo", "demo data", cancellationToken);

    private static ScorecardData Read(string name)
    {
        using var stream = typeof(DemoOrganisation).Assembly.GetManifestResourceStream($"OpenBsc.Demo.{name}")
            ?? throw new InvalidOperationException($"Demo file {name} is not embedded.");
        using var reader = new StreamReader(stream);
        var result = ScorecardFileReader.Parse(reader.ReadToEnd(), ScorecardFileFormat.Yaml, name).Validated();

        return result.IsValid ? result.Data! : throw new InvalidOperationException($"Demo file {name} is invalid: {string.Join("; ", result.Errors)}");
    }
}
