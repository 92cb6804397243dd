using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CollabVlm.Operations.Tests.Bootstrap;

/// <summary>
/// The one call cluster bootstrap makes to Kubernetes — list the pods of a namespace by label selector — answered by
/// an in-test HTTPS server. A Kubernetes API server cannot run here, so this is the faked part; everything else in
/// the bootstrap tests is real (the KubernetesClient library over TLS with a bearer token, the probes, the processes).
/// </summary>
/// <remarks>
/// Outside a pod the node's discovery reads address, CA, token and namespace from the kubeconfig named by
/// <c>KUBECONFIG</c> (<see cref="WriteKubeconfig"/>) instead of the service-account mount.
/// </remarks>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private const string Token = "collabvlm-bootstrap-test-token";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _pods = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private readonly X509Certificate2 _certificate;

    private FakeKubernetesApi(WebApplication app, string folder, string expectedSelector, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
        Folder = folder;
        ExpectedSelector = expectedSelector;
    }

    public string Folder { get; }

    /// <summary>Only this selector lists pods; any other gets an empty list, as a wrong label would in a real cluster.</summary>
    public string ExpectedSelector { get; }

    public int Port { get; private set; }

    public const string Namespace = "collabvlm";

    /// <summary>Each request as "METHOD path?query auth=ok|refused".</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<FakeKubernetesApi> StartAsync(string folder, string expectedSelector)
    {
        Directory.CreateDirectory(folder);
        var certificate = SelfSignedLoopbackCertificate();
        var serving = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serving)));
        var app = builder.Build();
        var api = new FakeKubernetesApi(app, folder, expectedSelector, certificate);
        app.MapGet("/api/v1/namespaces/{ns}/pods", (HttpContext context, string ns) => api.ListPods(context, ns));
        await app.StartAsync();
        api.Port = new Uri(app.Urls.Single()).Port;
        return api;
    }

    /// <summary>A running pod at 127.0.0.1 whose container names its <paramref name="managementPort"/> "management".</summary>
    public void AddPod(string name, int managementPort) => _pods[name] = managementPort;

    /// <summary>A node process's environment: bootstrap on, its management port, and a kubeconfig for this API.</summary>
    /// <param name="token">The bearer token the node presents; null = the one this API accepts.</param>
    public Dictionary<string, string> NodeEnvironment(int managementPort, string? token = null) => new()
    {
        ["KUBECONFIG"] = WriteKubeconfig(token ?? Token),
        ["COLLABVLM_Cluster__Discovery"] = "KubernetesApi",
        ["COLLABVLM_Cluster__ManagementPort"] = managementPort.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A kubeconfig with this API's address, its certificate as the trusted CA, <paramref name="token"/> and <see cref="Namespace"/>.</summary>
    public string WriteKubeconfig(string token)
    {
        var path = Path.Combine(Folder, $"kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Kubeconfig(Port, _certificate, token));
        return path;
    }

    private IResult ListPods(HttpContext context, string ns)
    {
        var authorized = context.Request.Headers.Authorization.ToString() == $"Bearer {Token}";
        _requests.Enqueue($"GET {context.Request.Path}{context.Request.QueryString} auth={(authorized ? "ok" : "refused")}");
        // What a real API server answers a service account without the RBAC grant.
        if (!authorized)
            return Results.Json(new { kind = "Status", apiVersion = "v1", status = "Failure", reason = "Forbidden", code = 403,
                message = $"pods is forbidden: cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\"" }, statusCode: 403);
        var selected = context.Request.Query["labelSelector"].ToString() == ExpectedSelector;
        var items = selected ? _pods.Select(p => Pod(p.Key, ns, p.Value)).ToArray() : [];
        return Results.Json(new { kind = "PodList", apiVersion = "v1", metadata = new { resourceVersion = "1" }, items });
    }

    private object Pod(string name, string ns, int managementPort) => new
    {
        metadata = new { name, @namespace = ns, labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "collabvlm" } },
        spec = new
        {
            containers = new[]
            {
                new { name = "node", ports = new[] { new { name = "remoting", containerPort = 4053 }, new { name = "management", containerPort = managementPort } } },
            },
        },
        status = new { phase = "Running", podIP = "127.0.0.1" },
    };

    private static X509Certificate2 SelfSignedLoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fake-kubernetes-api", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static string Kubeconfig(int port, X509Certificate2 certificate, string token)
    {
        var authority = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        return $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: https://127.0.0.1:{{port}}
                certificate-authority-data: {{authority}}
            users:
            - name: fake
              user:
                token: {{token}}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: {{Namespace}}
            current-context: fake
            """;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a node process may still hold a kubeconfig open on a slow shutdown; the folder is under the temp path
        }
    }
}
