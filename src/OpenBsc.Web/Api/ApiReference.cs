using Microsoft.OpenApi;
using OpenBsc.Web.Security;
using Scalar.AspNetCore;

namespace OpenBsc.Web.Api;

/// <summary>
/// The API's description: the OpenAPI document at <c>/openapi/v1.json</c>, and a browsable reference (Scalar) at
/// <c>/api/reference</c>, served from the app itself with no fonts or scripts fetched from the internet.
/// </summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/v1.json";

    public const string ReferencePath = "/api/reference";

    private const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            // The document describes the REST API; pages, downloads and form posts are the web UI's own business.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "OpenBsc API";
                document.Info.Description = "Balanced Scorecard definitions, observations and scores. Items are written in the scorecard file's own field names (docs/scorecard-file.md); writes send the ETag from GET back in If-Match; errors are RFC 9457 problem details naming the field.";
                Secure(document);
                DescribeImportBody(document);
                AddSharedProblems(document);
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").RequireAccess(AccessScope.SignedIn);
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("OpenBsc API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()).RequireAccess(AccessScope.SignedIn);
        return app;
    }

    /// <summary>Every operation takes a personal API token, or the web session's cookie (changes then only from this site).</summary>
    private static void Secure(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes["token"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A personal API token (Account → API tokens, or openbsc tokens create): Authorization: Bearer …",
        };
        document.Components.SecuritySchemes["session"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "openbsc",
            Description = "The web session's cookie. Changes sent with it must come from this site (Origin), never as a form.",
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("token", document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("session", document)] = [] },
        ];
    }

    /// <summary>The import reads its body itself (a form, CSV or XLSX), so no parameter tells the generator about it.</summary>
    private static void DescribeImportBody(OpenApiDocument document)
    {
        foreach (var operation in Operations(document).Where(o => o.Operation.OperationId == "ImportObservations").Select(o => o.Operation))
        {
            var file = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The file: a CSV (header measure,period,value[,note][,segment], UTF-8 or UTF-16 with its byte-order mark) or an XLSX workbook, as the body or as the field 'file' of a form.",
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    [XlsxMediaType] = new() { Schema = file },
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string>(StringComparer.Ordinal) { "file" },
                            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { ["file"] = file },
                        },
                    },
                },
            };
        }
    }

    /// <summary>
    /// Answers that come from the pipeline rather than the endpoint, so every operation can give them: the access check
    /// (401, 403, and 404 for a scorecard the caller cannot see), binding (400 naming the field), the body's media type
    /// (415) and a database that stayed busy (503 with Retry-After). Listed so the document says every status sent.
    /// </summary>
    private static void AddSharedProblems(OpenApiDocument document)
    {
        foreach (var (path, operation) in Operations(document))
        {
            operation.Responses ??= new OpenApiResponses();
            Add(operation, "400", "The request could not be read: the problem names the field or parameter.");
            Add(operation, "401", "No API token or session was sent, or it is no longer valid.");
            Add(operation, "403", "The caller's role does not allow this.");
            if (path.Contains('{', StringComparison.Ordinal))
            {
                Add(operation, "404", "Nothing at this address for the caller's organisation.");
            }

            if (operation.RequestBody is not null)
            {
                Add(operation, "415", "The body's media type is not one this operation reads.");
            }

            Add(operation, "503", "The database stayed busy: nothing was changed; try again after Retry-After seconds.");
        }
    }

    private static void Add(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/problem+json"] = new() { Schema = ProblemSchema },
            },
        };
    }

    /// <summary>RFC 9457 problem details, with the per-field errors of a validation problem.</summary>
    private static readonly OpenApiSchema ProblemSchema = new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
    };

    private static IEnumerable<(string Path, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        (document.Paths ?? []).SelectMany(p => (p.Value.Operations ?? []).Select(o => (p.Key, o.Value)));
}
