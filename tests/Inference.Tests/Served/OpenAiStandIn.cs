using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CollabVlm.Inference.Tests.Served;

/// <summary>
/// A STAND-IN for a remote OpenAI-compatible VLM server (vLLM, SGLang, llama.cpp server, Ollama),
/// which cannot run here (no GPU, no weights). Kestrel on a free loopback port answers
/// <c>POST /v1/chat/completions</c> with replies in the shapes those servers document
/// (<see cref="ServedShapes"/>), records every request, and answers from a queue of scripted
/// replies first, then from <see cref="Fallback"/>. It does not run any model.
/// </summary>
public sealed class OpenAiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StandInReply> _script = new();
    private readonly ConcurrentQueue<StandInRequest> _requests = new();

    private OpenAiStandIn(WebApplication app) => _app = app;

    /// <summary>Base URL up to the API version, as a user would pass it: <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Answers a request when the script is empty.</summary>
    public Func<StandInRequest, StandInReply> Fallback { get; set; } = _ => StandInReply.Ok(ServedShapes.Vllm("EXIT 24", 0.99));

    public IReadOnlyList<StandInRequest> Requests => [.. _requests];

    public int RequestCount => _requests.Count;

    /// <summary>The most requests it was answering at the same moment.</summary>
    public int MaxConcurrent => _maxConcurrent;

    private int _concurrent;
    private int _maxConcurrent;

    public static async Task<OpenAiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new OpenAiStandIn(app);
        app.MapPost("/v1/chat/completions", standIn.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.BaseUrl = address.TrimEnd('/') + "/v1";
        return standIn;
    }

    /// <summary>The next requests get these replies, in order.</summary>
    public void Enqueue(params StandInReply[] replies)
    {
        foreach (var reply in replies) _script.Enqueue(reply);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new StandInRequest(context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault(), await reader.ReadToEndAsync());
        _requests.Enqueue(request);
        var reply = _script.TryDequeue(out var scripted) ? scripted : Fallback(request);
        var now = Interlocked.Increment(ref _concurrent);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen) { }
        try
        {
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = reply.Body.StartsWith('{') ? "application/json" : "text/html";
        await context.Response.WriteAsync(reply.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
