using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CollabVlm.Inference.Served;

/// <summary>
/// The HTTP client of one endpoint: retries on 408, 429, 5xx, connection faults and attempt timeouts
/// with exponential back-off and jitter, waiting what a <c>Retry-After</c> header asks instead
/// (Microsoft.Extensions.Http.Resilience's retry strategy), each attempt under its own timeout.
/// The whole call's limit is the caller's (<see cref="ServedVlmOptions.CallTimeoutSeconds"/>).
/// </summary>
public static class ServedVlmHttp
{
    public static HttpClient CreateClient(ServedVlmOptions options, string? apiKey)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        // Polly refuses a retry strategy with zero attempts; none at all is what 0 means.
        if (options.MaxRetries > 0)
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = TimeSpan.FromSeconds(options.RetryDelaySeconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
            });
        var pipeline = builder.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds)).Build();
        var handler = new ResilienceHandler(pipeline)
        {
            // Pods behind a Service name come and go: reconnect now and then so new addresses are used.
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) },
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
