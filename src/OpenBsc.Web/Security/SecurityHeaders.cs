namespace OpenBsc.Web.Security;

/// <summary>
/// Security headers on every response. Scripts only from this site (no inline script anywhere: the app's one script
/// is /assets/app.js); inline style attributes are allowed (bars and swatches set their width and colour), style
/// elements are not. The API reference page (Scalar) gets its own, relaxed policy: it configures itself inline; the
/// printable report gets a stricter one that allows only its own style element. Everything but the public assets is
/// <c>Cache-Control: no-store</c>.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ReferencePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The printable report: a self-contained page with its own style element and no script at all.</summary>
    public const string ReportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            var path = context.Request.Path;
            headers.ContentSecurityPolicy = path.StartsWithSegments(Api.ApiReference.ReferencePath) ? ReferencePolicy
                : path.Value?.EndsWith("/report.html", StringComparison.Ordinal) == true ? ReportPolicy
                : Policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // Scores, values, charts, exports and pages are one organisation's data, read with a session or token: no
            // browser or proxy keeps a copy (a shared computer, a company proxy). Public assets say their own caching.
            if (string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}
