using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OpenBsc.BrowserTests;

/// <summary>
/// Every page of the demo, on a desktop (1366 × 900) and a phone (390 × 844): no serious or critical axe-core
/// violation, no sideways scroll on the phone, no developer wording in what a person reads, and a screenshot of
/// each under TestResults/screenshots/pages/ to look at.
/// </summary>
public sealed partial class EveryPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>Every page (name, path): the demo's scorecards, an objective and a measure, and the organisation pages.</summary>
    public static readonly TheoryData<string, string> Pages = new()
    {
        { "organisation", "/" },
        { "organisation-search", "/?q=support" },
        { "dashboard", "/scorecards/customer-support?period=2026-06" },
        { "dashboard-cascade", "/scorecards/northwind-2026?period=2026-06" },
        { "strategy-map", "/scorecards/customer-support/map?period=2026-06" },
        { "strategy-map-company", "/scorecards/northwind-2026/map?period=2026-06" },
        { "analysis", "/scorecards/customer-support/analysis?period=2026-06" },
        { "what-if", "/scorecards/customer-support/what-if?period=2026-06&measure=first-contact-resolution&value=90" },
        { "initiatives", "/scorecards/customer-support/initiatives?period=2026-06" },
        { "risks", "/scorecards/customer-support/risks?period=2026-06" },
        { "objective", "/scorecards/customer-support/objectives/fast-answers?period=2026-06" },
        { "measure", "/scorecards/customer-support/measures/resolution-hours?period=2026-06" },
        { "data-entry", "/scorecards/customer-support/data" },
        { "approvals", "/scorecards/customer-support/approvals" },
        { "import-export", "/scorecards/customer-support/import" },
        { "alerts", "/scorecards/customer-support/alerts" },
        { "designer", "/scorecards/customer-support/design" },
        { "measure-editor", "/scorecards/customer-support/design/measures/resolution-hours" },
        { "report-print", "/scorecards/customer-support/report.html?period=2026-06" },
        { "review", "/scorecards/customer-support/review?period=2026-06" },
        { "commentary", "/scorecards/customer-support/commentary/customer?period=2026-06" },
        { "books", "/books" },
        { "users", "/admin/users" },
        { "organisation-settings", "/admin/organisation" },
        { "second-factor", "/account/second-factor" },
        { "new-scorecard", "/new-scorecard" },
        { "templates", "/templates" },
        { "library", "/library" },
        { "notifications", "/notifications" },
        { "my-items", "/my-items" },
        { "sources", "/sources" },
        { "deliveries", "/admin/deliveries" },
        { "audit", "/audit" },
        { "passkeys", "/account/passkeys" },
        { "tokens", "/account/tokens" },
        { "password", "/account/password" },
        { "not-found", "/scorecards/nope" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public Task Desktop(string name, string path) => CheckAsync(name, path, 1366, 900);

    [Theory]
    [MemberData(nameof(Pages))]
    public Task Phone(string name, string path) => CheckAsync(name, path, 390, 844);

    [Fact]
    public async Task SignInPage_SignedOut()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.App.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await AssertCleanAsync(page, "sign-in", phone: true);
        await context.CloseAsync();
    }

    [Fact]
    public void DeveloperWordingRule_FindsEachKind()
    {
        var ids = new HashSet<string> { "loyal-customers" };
        var found = DeveloperWording("See docs/scoring.md. Signature: HMAC of the body. Rule MeasureTurnsRed fired for loyal-customers.", ids).ToList();
        Assert.Contains(found, f => f.StartsWith("a file path: 'docs/scoring.md'", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith("developer wording: 'HMAC'", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith("an enum name: 'MeasureTurnsRed'", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith("an id where a name exists: 'loyal-customers'", StringComparison.Ordinal));
        Assert.Empty(DeveloperWording("Keep customers loyal: a measure turns red. OpenBsc on PostgreSQL.", ids));
    }

    private async Task CheckAsync(string name, string path, int width, int height)
    {
        var page = await fixture.NewPageAsync(width, height);
        var response = await page.GotoAsync(path);
        // The page itself, not a page saying why it cannot be shown (only the not-found page is one on purpose).
        Assert.True(name == "not-found" || response!.Ok, $"{name}: {path} answered {response!.Status}, not the page");
        await AssertCleanAsync(page, name, phone: width < 500);
        await page.Context.CloseAsync();
    }

    private async Task AssertCleanAsync(IPage page, string name, bool phone)
    {
        string size = phone ? "phone" : "desktop";
        Directory.CreateDirectory(Path.Combine(BrowserFixture.ScreenshotDirectory, "pages"));
        await BrowserFixture.ScreenshotAsync(page, $"pages/{name}-{size}");
        var problems = new List<string>();

        var axe = await page.RunAxe();
        foreach (var violation in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            problems.Add($"axe {violation.Impact} {violation.Id}: {violation.Help} — {string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html))}");
        }

        if (phone)
        {
            int scroll = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (scroll > 390)
            {
                string wide = await page.EvaluateAsync<string>(WidestScript);
                problems.Add($"the page scrolls sideways at 390 px: it is {scroll} px wide ({wide})");
            }

            foreach (string cell in await page.EvaluateAsync<string[]>(UnlabelledCellsScript))
            {
                problems.Add($"a table cell on a phone card does not say its column: '{cell}'");
            }

            // A row of tabs or links that scrolls inside itself hides its last entries: the page does not scroll, the row does.
            foreach (string row in await page.EvaluateAsync<string[]>(HiddenLinksScript))
            {
                problems.Add($"'{row}' hides some of its links sideways at 390 px");
            }
        }

        foreach (string words in await page.EvaluateAsync<string[]>(LinksRunTogetherScript))
        {
            problems.Add($"links run together with nothing between them: '{words}'");
        }

        foreach (string label in await page.EvaluateAsync<string[]>(ChecksOffTheirWordsScript))
        {
            problems.Add($"a checkbox or radio is squeezed or not on the line of its words: '{label}'");
        }

        problems.AddRange(DeveloperWording(await page.EvaluateAsync<string>(ReadableTextScript), await IdsAsync()));
        Assert.True(problems.Count == 0, $"{name} ({size}):\n" + string.Join("\n", problems));
    }

    /// <summary>What a person reads: the page's text without code samples and form values (where ids are typed).</summary>
    private const string ReadableTextScript = """
        () => {
          const main = document.querySelector('main') || document.body;
          const copy = main.cloneNode(true);
          copy.querySelectorAll('code, pre, input, textarea, script, style, option, [data-typed]').forEach(e => e.remove());
          // Text by text node, joined with spaces: cells side by side must not read as one word.
          const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
          const parts = [];
          while (walker.nextNode()) { parts.push(walker.currentNode.nodeValue); }
          return parts.join(' ').replace(/\s+/g, ' ');
        }
        """;

    /// <summary>
    /// Labels whose checkbox or radio sits above (or below) their words instead of before them — what a form's
    /// stacked label layout does to a checkbox when no rule places it (seen on the organisation settings page).
    /// </summary>
    private const string ChecksOffTheirWordsScript = """
        () => [...document.querySelectorAll('label')].filter(label => {
          const box = label.querySelector(':scope > input[type=checkbox], :scope > input[type=radio]');
          if (!box || box.offsetParent === null) { return false; }
          const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
          let text = null;
          while (walker.nextNode()) { if (walker.currentNode.nodeValue.trim()) { text = walker.currentNode; break; } }
          if (!text) { return false; }
          const range = document.createRange();
          range.selectNodeContents(text);
          const words = range.getBoundingClientRect();
          const b = box.getBoundingClientRect();
          // Squeezed by its words (a flex item shrinks): a radio drawn as a dot.
          return b.width < 10 || b.bottom <= words.top || b.top >= words.bottom;
        }).slice(0, 3).map(label => label.textContent.trim().slice(0, 60))
        """;

    /// <summary>Inline links side by side with no space or mark between them read as one word ("allfailedpending").</summary>
    private const string LinksRunTogetherScript = """
        () => [...document.querySelectorAll('main a + a')].filter(b => {
          const a = b.previousElementSibling;
          if (a.nextSibling !== b || getComputedStyle(a).display !== 'inline' || getComputedStyle(b).display !== 'inline') { return false; }
          const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
          return ra.width > 0 && rb.width > 0 && Math.abs(rb.left - ra.right) < 2 && Math.abs(rb.top - ra.top) < 4;
        }).map(b => b.previousElementSibling.innerText + b.innerText).slice(0, 5)
        """;

    /// <summary>
    /// Cells of a table stacked into cards on a phone (table.grid, or a table without a class) that show words but not
    /// their column's name, where the column has one: a card would read "never" or "12" with nothing to say what it is.
    /// </summary>
    private const string UnlabelledCellsScript = """
        () => [...document.querySelectorAll('main table.grid, main table:not([class])')].flatMap(table => {
          const head = table.tHead && table.tHead.rows[0];
          if (!head) { return []; }
          const names = [];
          [...head.cells].forEach(th => { for (let k = 0; k < th.colSpan; k++) { names.push(th.textContent.trim()); } });
          return [...table.tBodies].flatMap(body => [...body.rows]).flatMap(row => {
            let column = 0;
            return [...row.cells].filter(cell => {
              const name = names[column];
              column += cell.colSpan;
              return cell.tagName === 'TD' && cell.colSpan === 1 && name && cell.offsetParent !== null
                && cell.innerText.trim() && !cell.hasAttribute('data-label');
            }).map(cell => cell.innerText.trim().slice(0, 40));
          });
        }).slice(0, 3)
        """;

    private const string HiddenLinksScript = """
        () => [...document.querySelectorAll('nav')].filter(n => n.offsetParent !== null && n.scrollWidth > n.clientWidth + 1)
          .map(n => n.getAttribute('aria-label') || n.className || 'a navigation')
        """;

    private const string WidestScript = """
        () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
          .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '')).join(', ')
        """;

    private static HashSet<string>? _ids;

    /// <summary>The ids of the demo's scorecards and their items that have a name (kebab-case, so never a plain word).</summary>
    /// <remarks>Read with the app's signed-in client, not the page's: a signed-out page (the sign-in page) gets 401.</remarks>
    private async Task<HashSet<string>> IdsAsync()
    {
        if (_ids is not null)
        {
            return _ids;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in new[] { "customer-support", "northwind-2026" })
        {
            using var response = await fixture.App.Client.GetAsync($"/api/v1/scorecards/{key}/definition");
            Assert.True(response.IsSuccessStatusCode, $"definition of {key}: {(int)response.StatusCode}");
            Collect(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, ids);
            ids.Add(key);
        }

        return _ids = [.. ids.Where(id => id.Contains('-', StringComparison.Ordinal))];
    }

    private static void Collect(JsonElement element, HashSet<string> ids)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            // An id that is a word of its own item's name ("self-service" of "Self-service portal") reads as prose.
            if (element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && element.TryGetProperty("name", out var name)
                && !(name.GetString() ?? "").Contains(id.GetString()!, StringComparison.OrdinalIgnoreCase))
            {
                ids.Add(id.GetString()!);
            }

            foreach (var property in element.EnumerateObject())
            {
                Collect(property.Value, ids);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, ids);
            }
        }
    }

    /// <summary>
    /// The rule over rendered pages: no file paths, no signature formulas, no parser wording, no enum names
    /// (PascalCase words), and no id of an item that has a name.
    /// </summary>
    public static IEnumerable<string> DeveloperWording(string text, IReadOnlySet<string> ids)
    {
        foreach (Match m in FilePath().Matches(text))
        {
            yield return $"a file path: '{m.Value}'";
        }

        foreach (string phrase in new[] { "HMAC", "sha256=", "found the quoted text", "scorecard scorecard", "Exception", "null" })
        {
            if (text.Contains(phrase, StringComparison.Ordinal))
            {
                yield return $"developer wording: '{phrase}' in '{Around(text, text.IndexOf(phrase, StringComparison.Ordinal))}'";
            }
        }

        foreach (Match m in EnumName().Matches(text))
        {
            if (!AllowedCompounds.Contains(m.Value))
            {
                yield return $"an enum name: '{m.Value}' in '{Around(text, m.Index)}'";
            }
        }

        foreach (string id in ids)
        {
            var m = Regex.Match(text, $@"(?<![\w/#@.-]){Regex.Escape(id)}(?![\w/-])");
            if (m.Success)
            {
                yield return $"an id where a name exists: '{id}' in '{Around(text, m.Index)}'";
            }
        }
    }

    private static readonly HashSet<string> AllowedCompounds = new(StringComparer.Ordinal) { "OpenBsc", "PostgreSQL", "JavaScript", "OpenAPI", "SQLite", "GitHub", "LinkedIn" };

    private static string Around(string text, int index) => text.Substring(Math.Max(0, index - 40), Math.Min(100, text.Length - Math.Max(0, index - 40)));

    [GeneratedRegex(@"(?<![\w])(?:[\w.-]+/)+[\w-]+\.(?:md|cs|razor|yaml|yml|json|css|js)\b")]
    private static partial Regex FilePath();

    [GeneratedRegex(@"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")]
    private static partial Regex EnumName();
}
