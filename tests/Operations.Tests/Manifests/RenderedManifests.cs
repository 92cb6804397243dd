using System.Diagnostics;
using CollabVlm.Operations.Tests.Support;

namespace CollabVlm.Operations.Tests.Manifests;

/// <summary>One kustomization rendered with <c>kubectl kustomize</c> (the same renderer as <c>kubectl apply -k</c>).</summary>
public sealed class RenderedManifests
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(60);

    private RenderedManifests(string kustomization, IReadOnlyList<Dictionary<object, object>> resources)
    {
        Kustomization = kustomization;
        Resources = resources;
    }

    public string Kustomization { get; }

    public IReadOnlyList<Dictionary<object, object>> Resources { get; }

    public IEnumerable<Dictionary<object, object>> OfKind(string kind) => Resources.Where(r => Yaml.Text(r, "kind") == kind);

    public Dictionary<object, object> Named(string kind, string name) =>
        OfKind(kind).FirstOrDefault(r => Yaml.Text(r, "metadata.name") == name)
        ?? throw new Xunit.Sdk.XunitException($"{Kustomization}: no {kind} named '{name}' among [{string.Join(", ", Resources.Select(r => $"{Yaml.Text(r, "kind")}/{Yaml.Text(r, "metadata.name")}"))}]");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<RenderedManifests>> Rendered = new();

    /// <summary>Renders once per test run (the files do not change while tests run).</summary>
    /// <exception cref="Xunit.Sdk.XunitException">kubectl is missing, fails or times out; the message carries its stderr.</exception>
    public static RenderedManifests Render(string kustomization) =>
        Rendered.GetOrAdd(kustomization, k => new Lazy<RenderedManifests>(() => RenderNow(k))).Value;

    private static RenderedManifests RenderNow(string kustomization)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("kustomize");
        info.ArgumentList.Add(Repository.Path(kustomization));
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"kubectl could not be started ({e.Message}); the manifest checks need kubectl on PATH");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(RenderTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"kubectl kustomize {kustomization} did not finish within {RenderTimeout.TotalSeconds:0} s");
            }
            if (process.ExitCode != 0)
                throw new Xunit.Sdk.XunitException($"kubectl kustomize {kustomization} failed (exit {process.ExitCode}):\n{stderr.Result}");
            return new RenderedManifests(kustomization, Yaml.Documents(stdout.Result));
        }
    }
}
