using OpenBsc.Web.Security;
using System.Collections.Frozen;

namespace OpenBsc.Web;

/// <summary>
/// The stylesheet, script and icons, served from the assembly with a long cache lifetime. Short-circuit endpoints:
/// answered at routing, before sign-in and access control, so a signed-in browser's asset requests cost no cookie
/// decryption and no database round trip (they are public anyway).
/// </summary>
public static class Assets
{
    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType)> Files = Load();

    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Files.TryGetValue(name, out var file))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(file.Body, file.ContentType);
        }).ExcludeFromDescription().ShortCircuit().RequireAccess(AccessScope.Public);
        // Browsers and feed readers ask for /favicon.ico whatever the page links.
        app.MapGet("/favicon.ico", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            var file = Files["favicon.ico"];
            return Results.Bytes(file.Body, file.ContentType);
        }).ExcludeFromDescription().ShortCircuit().RequireAccess(AccessScope.Public);
        return app;
    }

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        const string prefix = "OpenBsc.Web.Assets.";
        var assembly = typeof(Assets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            string name = resource[prefix.Length..];
            string type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".ico" => "image/x-icon",
                _ => "application/octet-stream",
            };
            files[name] = (memory.ToArray(), type);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
