namespace OpenBsc.Web.Security;

/// <summary>
/// Security headers on every response. Scripts only from this site (no inline script anywhere: the app's one script
/// is /assets/app.js); inline style attributes are allowed (bars and swatches set their width and colour), style
/// elements are not. The API reference page (Scalar) gets its own, relaxed policy: it configures itself inline.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ReferencePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(Api.ApiReference.ReferencePath) ? ReferencePolicy : Policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
