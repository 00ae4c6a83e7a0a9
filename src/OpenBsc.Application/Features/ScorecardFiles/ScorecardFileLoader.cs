using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>
/// A scorecard file read, validated and ready to evaluate: <see cref="Bundle"/>[0] is the file's scorecard, the
/// rest are the scorecards it cascades from (found beside it). Nothing is usable unless <see cref="Succeeded"/>.
/// </summary>
public sealed record ScorecardLoadResult(
    IReadOnlyList<ScorecardData> Bundle,
    IReadOnlyDictionary<string, string> SourceAliases,
    IReadOnlyList<FileError> Errors,
    IReadOnlyList<string> Warnings,
    bool EnvironmentFailure)
{
    public bool Succeeded => Errors.Count == 0 && Bundle.Count > 0;
}

/// <summary>
/// Loads a scorecard file with the files it cascades from. A cascade source <c>emea.yaml#item</c> names a file
/// relative to the citing file; <c>emea-support#item</c> names a scorecard id, looked up among the
/// <c>.yaml</c>, <c>.yml</c> and <c>.json</c> files in the citing file's folder.
/// </summary>
public static class ScorecardFileLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static ScorecardLoadResult Load(string path, bool resolveCascades = true)
    {
        var errors = new List<FileError>();
        var warnings = new List<string>();
        var bundle = new List<ScorecardData>();
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var loadedFiles = new Dictionary<string, string>(StringComparer.Ordinal); // full path → scorecard id

        var (first, firstResult) = ReadOne(path, errors);
        if (first is null)
        {
            bool environment = errors.Count == 1 && errors[0].Path == "<file>";
            return new([], aliases, errors, warnings, environment);
        }

        bundle.Add(first);
        loadedFiles[Path.GetFullPath(path)] = first.Scorecard.Id;
        if (resolveCascades)
        {
            var pending = new Queue<(ScorecardData Data, string File)>();
            pending.Enqueue((first, path));
            while (pending.Count > 0)
            {
                var (data, file) = pending.Dequeue();
                foreach (var contribution in data.Scorecard.Cascade)
                {
                    string source = contribution.SourceScorecard;
                    if (source.Length == 0 || aliases.ContainsKey(source) || bundle.Any(b => b.Scorecard.Id == source))
                    {
                        continue;
                    }

                    string? sourceFile = FindSource(source, file, loadedFiles);
                    if (sourceFile is null)
                    {
                        continue; // reported as dangling by the cascade validation below
                    }

                    string full = Path.GetFullPath(sourceFile);
                    if (loadedFiles.TryGetValue(full, out string? knownId))
                    {
                        aliases[source] = knownId;
                        continue;
                    }

                    var (sourceData, _) = ReadOne(sourceFile, errors);
                    if (sourceData is null)
                    {
                        continue;
                    }

                    loadedFiles[full] = sourceData.Scorecard.Id;
                    if (source != sourceData.Scorecard.Id)
                    {
                        aliases[source] = sourceData.Scorecard.Id;
                    }

                    if (bundle.All(b => b.Scorecard.Id != sourceData.Scorecard.Id))
                    {
                        bundle.Add(sourceData);
                        pending.Enqueue((sourceData, sourceFile));
                    }
                }
            }

            if (errors.Count == 0)
            {
                foreach (var error in ScorecardValidator.ValidateCascade(bundle, aliases))
                {
                    var position = firstResult!.LineOf(error.Path);
                    errors.Add(new FileError(path, position?.Line, position?.Column, error.Path, error.Message));
                }
            }
        }

        return errors.Count > 0
            ? new([], aliases, errors, warnings, EnvironmentFailure: false)
            : new(bundle, aliases, errors, warnings, EnvironmentFailure: false);
    }

    /// <summary>Reads and validates one file; no data (with errors added) when it is unreadable or invalid.</summary>
    private static (ScorecardData? Data, ScorecardFileResult? Result) ReadOne(string path, List<FileError> errors)
    {
        ScorecardFileResult result;
        try
        {
            result = ScorecardFileReader.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            errors.Add(new FileError(path, null, null, "<file>", $"cannot read the file: {reason}"));
            return (null, null);
        }

        result = result.Validated();
        errors.AddRange(result.Errors);
        return (result.IsValid ? result.Data : null, result);
    }

    private static string? FindSource(string source, string citingFile, Dictionary<string, string> loaded)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(citingFile)) ?? ".";
        if (Extensions.Any(e => source.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            string candidate = Path.Combine(folder, source);
            return File.Exists(candidate) ? candidate : null;
        }

        foreach (var (file, id) in loaded)
        {
            if (id == source)
            {
                return file;
            }
        }

        foreach (string candidate in Directory.EnumerateFiles(folder).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal))
        {
            if (loaded.ContainsKey(Path.GetFullPath(candidate)))
            {
                continue;
            }

            try
            {
                var result = ScorecardFileReader.Read(candidate);
                if (result.Data?.Scorecard.Id == source)
                {
                    return candidate;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unreadable neighbour is not the source we look for.
            }
        }

        return null;
    }
}
