using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.NodeDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CollabVlm.ServerNode;

/// <summary>
/// Chooses the model from section "Model": <c>Model:Backend</c> = <c>reader</c> (default, PP-OCRv4),
/// <c>onnx-vlm</c> (an Idefics3/SmolVLM export in the transformers.js layout at
/// <c>Model:ModelDirectory</c>) or <c>openai</c> (a VLM served over the OpenAI chat-completions API
/// at <c>Model:Endpoints</c>). The rest of the section binds onto the chosen backend's settings,
/// so a key the chosen backend does not have is an error naming it.
/// </summary>
public static class ModelBackendFactory
{
    public const string Reader = "reader";
    public const string OnnxVlm = "onnx-vlm";
    public const string OpenAi = "openai";

    /// <summary>Reads the settings now (errors at start-up); the returned factory loads the model.</summary>
    public static Func<IServiceProvider, IVisionLanguageModel> FromConfiguration(IConfiguration configuration)
    {
        var model = configuration.GetSection("Model");
        var backend = (model["Backend"] ?? Reader).Trim().ToLowerInvariant();
        var rest = NodeConfiguration.SectionWithout(configuration, "Model", "Backend");
        switch (backend)
        {
            case Reader:
                var reader = NodeConfiguration.Bind<ReaderOptions>(rest, "Model");
                return _ => new PpOcrReader(reader);
            case OnnxVlm:
                var vlm = NodeConfiguration.Bind<Inference.Vlm.VlmOptions>(rest, "Model", s => s.Validate());
                try
                {
                    // Missing files are a settings error: one line at start-up, not a stack trace from the host.
                    Inference.Vlm.VlmModelFiles.Locate(vlm.ModelDirectory, vlm.Variant);
                }
                catch (IOException e)
                {
                    throw new SettingsException(e.Message);
                }
                return services =>
                {
                    var loaded = new Inference.Vlm.OnnxVlm(vlm);
                    services.GetRequiredService<ILoggerFactory>().CreateLogger("CollabVlm.Model").LogInformation(
                        "VLM {Name} on {Provider}; relevance from {Relevance}; files in {Directory}", loaded.Name, loaded.ExecutionProvider, loaded.RelevanceSource, loaded.Files.Directory);
                    return loaded;
                };
            case OpenAi:
                var served = NodeConfiguration.Bind<Inference.Served.ServedVlmOptions>(rest, "Model", s => s.Validate());
                return services =>
                {
                    var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CollabVlm.Model");
                    var loaded = new Inference.Served.ServedVlm(served, logger);
                    // Endpoints and model only: the API key never reaches a log.
                    logger.LogInformation("served VLM {Name} at {Endpoints}; {Concurrency} calls at once; relevance from {Relevance}; API key {Key}",
                        loaded.Name, string.Join(", ", served.Endpoints), loaded.MaxConcurrentCalls, served.Relevance, served.ResolveApiKey() is null ? "none" : "set");
                    return loaded;
                };
            default:
                throw new SettingsException($"Model:Backend must be '{Reader}', '{OnnxVlm}' or '{OpenAi}', got '{model["Backend"]}'");
        }
    }
}
