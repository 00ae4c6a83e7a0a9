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

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            // The document describes the REST API; pages, downloads and form posts are the web UI's own business.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "OpenBsc API";
                document.Info.Description = "Balanced Scorecard definitions, observations and scores. Items are written in the scorecard file's own field names (docs/scorecard-file.md); writes send the ETag from GET back in If-Match; errors are RFC 9457 problem details naming the field.";
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
}
