using System.Reflection;

namespace OpenBsc.Application;

/// <summary>
/// The version of this build (<c>Version</c> in Directory.Build.props, plus the commit it was built from when built
/// in a git clone): shown by <c>openbsc --version</c>, in the web footer and at <c>/api/v1/version</c>.
/// </summary>
public static class AppVersion
{
    /// <summary>The full version, e.g. <c>0.9.0+0412128…</c> (the commit after the plus).</summary>
    public static string Full { get; } =
        typeof(AppVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The release number without the commit, e.g. <c>0.9.0</c>.</summary>
    public static string Release { get; } = Full.Split('+')[0];

    /// <summary>The commit the build came from, shortened to 12 characters (null when built outside git).</summary>
    public static string? Commit { get; } = Full.Split('+') is [_, var commit, ..] ? commit[..Math.Min(12, commit.Length)] : null;

    /// <summary>What a person reads: <c>0.9.0 (0412128d5f3a)</c>.</summary>
    public static string Display { get; } = Commit is null ? Release : $"{Release} ({Commit})";
}
