using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CollabVlm.EndToEnd.Tests;

namespace CollabVlm.Operations.Tests.Prometheus;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package; <c>.ci/run</c> installs it when missing) scraping the
/// given targets every second, with its own temporary storage, on a free loopback port.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>The binary: on PATH, or where Debian's package puts it.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">Not installed: the message says how to install it.</exception>
    public static string LocateBinary()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "prometheus")).Append("/usr/bin/prometheus");
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new Xunit.Sdk.XunitException(
                "the prometheus binary was not found (PATH, /usr/bin/prometheus). This test runs a real Prometheus: " +
                "install Debian's package (apt-get install -y prometheus); ./scripts/test.sh does so when it is missing.");
    }

    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, int> jobPorts, TimeSpan timeout)
    {
        var binary = LocateBinary();
        var folder = Directory.CreateTempSubdirectory("collabvlm-prometheus-").FullName;
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        foreach (var (job, target) in jobPorts)
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: {job}\n    metrics_path: /metrics\n    static_configs:\n      - targets: [\"127.0.0.1:{target}\"]\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), config.ToString());
        var port = FreePort.Next();
        var info = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var a in new[] { $"--config.file={Path.Combine(folder, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h", "--log.level=warn" })
            info.ArgumentList.Add(a);
        var server = new PrometheusServer(Process.Start(info)!, folder, port);
        try
        {
            await server.WaitUntilAsync(async () => (await server._http.GetAsync("-/ready")).IsSuccessStatusCode, "Prometheus ready (/-/ready)", timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An instant query; the result vector's samples (label set → value).</summary>
    public async Task<IReadOnlyList<(string Labels, double Value)>> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.GetProperty("status").GetString() != "success")
            throw new Xunit.Sdk.XunitException($"Prometheus refused the query {promql}: {body}");
        var data = json.RootElement.GetProperty("data");
        return data.GetProperty("resultType").GetString() switch
        {
            "vector" => data.GetProperty("result").EnumerateArray()
                .Select(r => (r.GetProperty("metric").ToString(), ParseValue(r.GetProperty("value")[1].GetString()))).ToList(),
            "scalar" => [("scalar", ParseValue(data.GetProperty("result")[1].GetString()))],
            var other => throw new Xunit.Sdk.XunitException($"unexpected result type {other} for {promql}"),
        };
    }

    /// <summary>Every metric name Prometheus has stored.</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync("api/v1/label/__name__/values"));
        return json.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The values of <paramref name="label"/> on the series <paramref name="selector"/> matches (Grafana's label_values).</summary>
    public async Task<IReadOnlySet<string>> LabelValuesAsync(string label, string selector)
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync($"api/v1/label/{Uri.EscapeDataString(label)}/values?match[]={Uri.EscapeDataString(selector)}"));
        return json.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Scrape targets and their health ("up"/"down") with the last error.</summary>
    public async Task<IReadOnlyList<(string Job, string Health, string Error)>> TargetsAsync()
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync("api/v1/targets"));
        return json.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => (t.GetProperty("labels").GetProperty("job").GetString()!, t.GetProperty("health").GetString()!, t.GetProperty("lastError").GetString() ?? ""))
            .ToList();
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        Exception? last = null;
        while (stopwatch.Elapsed < timeout)
        {
            if (_process.HasExited) throw new Xunit.Sdk.XunitException($"Prometheus exited ({_process.ExitCode}) while waiting for {what}:\n{Log}");
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e;
            }
            await Task.Delay(500);
        }
        throw new Xunit.Sdk.XunitException($"no {what} within {timeout.TotalSeconds:0} s{(last is null ? "" : $" (last error: {last.Message})")}\nPrometheus log:\n{Log}");
    }

    private static double ParseValue(string? text) => double.Parse(text ?? "NaN", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { /* bounded: give up on a stuck process */ }
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* best effort: a temp folder left behind does not fail the run */ }
    }
}
