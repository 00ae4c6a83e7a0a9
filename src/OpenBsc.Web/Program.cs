using OpenBsc.Web;

var app = OpenBscWeb.Build(args, WebSettings.FromArgs(args));
app.Run();

/// <summary>The web host's entry point (also the anchor for WebApplicationFactory in tests).</summary>
public partial class Program;
