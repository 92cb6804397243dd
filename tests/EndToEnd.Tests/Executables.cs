using System.Reflection;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>
/// Where the executables under test were built: <c>src/&lt;Project&gt;/bin/&lt;Configuration&gt;/&lt;TFM&gt;/&lt;RID&gt;/</c>
/// of the same build as this test assembly (its ProjectReferences build them first).
/// </summary>
public static class Executables
{
    public static string Server => Locate("ServerNode", "collabvlm-server.dll");

    public static string Edge => Locate("EdgeNode", "collabvlm-edge.dll");

    public static string RepositoryRoot => Metadata("CollabVlm.RepositoryRoot");

    /// <summary>The <c>dotnet</c> host that runs this test process (falls back to the one on PATH).</summary>
    public static string DotnetHost
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
                return hostPath;
            if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
                return self;
            return "dotnet";
        }
    }

    private static string Locate(string project, string dll)
    {
        var path = Path.Combine(RepositoryRoot, "src", project, "bin", Metadata("CollabVlm.Configuration"),
            Metadata("CollabVlm.TargetFramework"), Metadata("CollabVlm.RuntimeIdentifier"), dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{dll} was not found at {path}; EndToEnd.Tests.csproj references src/{project} so that building the tests builds it — " +
                "build with `dotnet test tests/EndToEnd.Tests` (same configuration) rather than running a stale test assembly", path);
    }

    private static string Metadata(string key) =>
        typeof(Executables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing: EndToEnd.Tests.csproj sets it at build time");
}
