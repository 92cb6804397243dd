using System.Reflection;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// Where the chaos command finds <c>collabvlm-server</c> and <c>collabvlm-edge</c> unless told: the output folders of
/// the same build as the bench (Bench.csproj builds both), <c>src/&lt;Project&gt;/bin/&lt;Configuration&gt;/&lt;TFM&gt;/&lt;RID&gt;/</c>.
/// </summary>
public static class ChaosExecutables
{
    public static string Server => Locate("ServerNode", "collabvlm-server.dll");

    public static string Edge => Locate("EdgeNode", "collabvlm-edge.dll");

    private static string Locate(string project, string dll) =>
        Path.Combine(Metadata("CollabVlm.RepositoryRoot"), "src", project, Metadata("CollabVlm.OutputPath"), dll);

    private static string Metadata(string key) =>
        typeof(ChaosExecutables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? "";
}
