using Ganss.Xss;
using Markdig;

namespace OpenBsc.Application.Features.ReportingCycle;

/// <summary>
/// Commentary is written in a small Markdown subset (paragraphs, **bold**, *italic*, lists, links, quotes, code) and
/// shown as HTML. Raw HTML in the text is never passed through: Markdig escapes it, and the HTML it makes is then
/// sanitised against an allow-list, so no script, event handler or javascript: link can reach a page.
/// </summary>
public static class CommentaryText
{
    /// <summary>The most characters an analysis or recommendations text may have.</summary>
    public const int MaxLength = 20_000;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();

    // One configured instance: Sanitize is safe to call from many threads once configured.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(["p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4", "h5", "h6", "hr"], StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "title"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        });
        // Links leave the app in a new context, never with the app's referrer or window.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        return sanitizer;
    }

    /// <summary>Safe HTML for a page or the HTML report; headings of the text are demoted below the page's own.</summary>
    public static string ToHtml(string markdown)
    {
        string html = Markdown.ToHtml(markdown, Pipeline)
            .Replace("<h1>", "<h3>", StringComparison.Ordinal).Replace("</h1>", "</h3>", StringComparison.Ordinal)
            .Replace("<h2>", "<h4>", StringComparison.Ordinal).Replace("</h2>", "</h4>", StringComparison.Ordinal);
        return Sanitizer.Sanitize(html);
    }

    /// <summary>Plain text for PDF, e-mail and the SVG tooltip: the Markdown's words without its marks.</summary>
    public static string ToPlainText(string markdown) => Markdown.ToPlainText(markdown, Pipeline).Trim();

    /// <summary>Null when <paramref name="text"/> may be stored; else what is wrong with it, naming <paramref name="field"/>.</summary>
    public static string? Problem(string text, string field, int maxLength = MaxLength)
    {
        if (text.Length > maxLength)
        {
            return $"{field}: {text.Length:N0} characters; at most {maxLength:N0} are kept. Shorten it or move detail into an attachment elsewhere.";
        }

        return text.Contains('\0', StringComparison.Ordinal) ? $"{field}: contains a NUL character; remove it (it cannot be stored)." : null;
    }
}
