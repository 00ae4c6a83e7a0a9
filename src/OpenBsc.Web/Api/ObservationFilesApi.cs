using Microsoft.AspNetCore.Http.Features;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Web.Security;

namespace OpenBsc.Web.Api;

/// <summary>
/// Observation files over HTTP: import a CSV or XLSX into a stored scorecard (all or nothing) and export its
/// observations, streamed both ways.
/// </summary>
public static class ObservationFilesApi
{
    /// <summary>The largest upload accepted (a CSV of a million observations is ~40 MB).</summary>
    public const long MaxUploadBytes = 256L << 20;

    public sealed record ImportResponse(string Scorecard, long Rows, int Added, int Corrected, int Unchanged);

    public static IEndpointRouteBuilder MapObservationFilesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/scorecards/{key}/observations").WithTags("Observations");
        api.MapPost("/import", ImportAsync)
            .WithName("ImportObservations")
            .RequireAccess(AccessScope.Scorecard, Application.Features.Security.AccessRole.Editor)
            .WithSummary("Import observations from a CSV (header measure,period,value[,note][,segment]) or XLSX: a multipart upload (field 'file'), or the file as the body (text/csv or the XLSX media type). All or nothing: 422 lists every bad row.")
            .Produces<ImportResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithFormOptions(bufferBodyLengthLimit: MaxUploadBytes, multipartBodyLengthLimit: MaxUploadBytes)
            .WithMetadata(new UploadLimitAttribute());
        api.MapGet("/export", ExportAsync)
            .WithName("ExportObservations")
            .RequireAccess(AccessScope.Scorecard)
            .WithSummary("The scorecard's observations as CSV or XLSX (format=csv|xlsx), streamed; history=true adds superseded values with who, when and why.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ImportAsync(string key, HttpContext http, ObservationImport import, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxUploadBytes;
        }

        if (request.ContentLength > MaxUploadBytes)
        {
            return TooLarge($"The upload is {request.ContentLength:N0} bytes: expected at most {MaxUploadBytes:N0}. Split the file, or use openbsc observations import.");
        }

        try
        {
            string by = http.User.Identity?.Name ?? "api";
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                var file = form.Files["file"] ?? (form.Files.Count == 1 ? form.Files[0] : null);
                if (file is null)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Expected a file field named 'file' holding a .csv or .xlsx."] }, title: "No file was uploaded");
                }

                if (ObservationImport.FormatOf(file.FileName) is not { } format)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [$"'{file.FileName}' is not a .csv or .xlsx file."] }, title: "The file is not CSV or XLSX");
                }

                await using var stream = file.OpenReadStream();
                return ToResult(key, await import.ImportAsync(key, stream, format, file.FileName, by, cancellationToken: cancellationToken));
            }

            ObservationFileFormat? bodyFormat = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() switch
            {
                "text/csv" or "text/plain" => ObservationFileFormat.Csv,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => ObservationFileFormat.Xlsx,
                _ => null,
            };
            if (bodyFormat is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                    detail: $"'{request.ContentType}' is not accepted: send multipart/form-data with a 'file' field, text/csv, or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.");
            }

            string name = request.Query["file"].FirstOrDefault() ?? (bodyFormat == ObservationFileFormat.Csv ? "upload.csv" : "upload.xlsx");
            // The whole body first, to a temporary file: the import holds the scorecard (on SQLite, the database) while it
            // reads, so it must never wait on a slow client. (A form is read whole before this handler runs.)
            await using var spooled = await SpoolAsync(request.Body, cancellationToken);
            if (spooled is null)
            {
                return TooLarge($"The upload is larger than {MaxUploadBytes:N0} bytes. Split the file, or use openbsc observations import. Nothing was stored.");
            }

            return ToResult(key, await import.ImportAsync(key, spooled, bodyFormat.Value, name, by, cancellationToken: cancellationToken));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge($"The upload is larger than {MaxUploadBytes:N0} bytes. Split the file, or use openbsc observations import. Nothing was stored.");
        }
        catch (InvalidDataException e)
        {
            // The form reader's own limits (e.g. the multipart body length) end up here.
            return TooLarge($"The upload could not be read within the limits: {e.Message} Nothing was stored.");
        }
    }

    /// <summary>The body in a temporary file (deleted when closed), read from the start; null when it is over the limit.</summary>
    private static async Task<Stream?> SpoolAsync(Stream body, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (file.Length + read > MaxUploadBytes)
                {
                    await file.DisposeAsync();
                    return null;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static IResult TooLarge(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large", detail: detail);

    private static IResult ToResult(string key, ObservationImportResult result)
    {
        if (result.Summary is { } s)
        {
            return Results.Ok(new ImportResponse(s.Scorecard, s.Rows, s.Added, s.Corrected, s.Unchanged));
        }

        if (result.Refusal is { } refusal)
        {
            return refusal.Kind switch
            {
                ObservationFileRefusal.Kinds.ScorecardNotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Scorecard not found", detail: refusal.Message),
                ObservationFileRefusal.Kinds.TooLarge => TooLarge(refusal.Message),
                _ => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The file cannot be read", detail: refusal.Message),
            };
        }

        return Results.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The file has bad rows; nothing was stored",
            detail: $"{result.ErrorCount:N0} bad row{(result.ErrorCount == 1 ? "" : "s")} in the observations for scorecard '{key}'{(result.More is { } more ? $" (the first {result.Errors.Count} are listed, {more})" : "")}.",
            extensions: new Dictionary<string, object?>
            {
                ["errorCount"] = result.ErrorCount,
                ["errors"] = result.Errors,
            });
    }

    private static async Task<IResult> ExportAsync(string key, string? format, bool? history, ObservationExport export, CancellationToken cancellationToken)
    {
        var chosen = (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => ObservationFileFormat.Csv,
            "xlsx" => (ObservationFileFormat?)ObservationFileFormat.Xlsx,
            _ => null,
        };
        if (chosen is not { } fileFormat)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format: expected csv or xlsx."] }, title: "The format is not valid");
        }

        if (!await export.ExistsAsync(key, cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Scorecard not found", detail: $"There is no scorecard '{key}'.");
        }

        string extension = fileFormat == ObservationFileFormat.Csv ? "csv" : "xlsx";
        return Results.Stream(
            body => export.ExportAsync(key, body, fileFormat, history ?? false, cancellationToken: cancellationToken),
            ObservationExport.ContentType(fileFormat),
            $"{key}-observations{(history == true ? "-history" : "")}.{extension}");
    }
}
