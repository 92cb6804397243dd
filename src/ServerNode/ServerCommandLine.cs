using System.CommandLine;
using CollabVlm.Actors.Server;
using CollabVlm.NodeDefaults;
using CollabVlm.TwoStage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabVlm.ServerNode;

/// <summary>The server's flags; each maps onto a configuration key so flags, environment and appsettings.json agree.</summary>
public static class ServerCommandLine
{
    public static RootCommand Build()
    {
        var flags = new CommonFlags();
        var modelDir = flags.Add(new Option<string>("--model-dir") { Description = "folder with the PP-OCRv4 files (default: fetched by scripts/fetch-model.sh), or the VLM export with Model:Backend=onnx-vlm" }, "Model:ModelDirectory");
        var backend = flags.Add(new Option<string>("--backend") { Description = "reader (PP-OCRv4, default) | onnx-vlm (Idefics3/SmolVLM ONNX export in --model-dir) | openai (a served VLM: --openai-endpoint, --openai-model)" }, "Model:Backend");
        var provider = flags.Add(new Option<string>("--execution-provider") { Description = "auto | cpu | cuda" }, "Model:ExecutionProvider");
        var threshold = flags.Add(new Option<double>("--threshold") { Description = "η: retransmit when the global answer's uncertainty (bits) exceeds this" }, "Server:Threshold");
        var globalSize = flags.Add(new Option<int>("--global-size") { Description = "long side of the global image the model expects, pixels" }, "Model:GlobalLongSide");
        var endpoints = flags.Add(new Option<string[]>("--openai-endpoint") { Description = "base URL of an OpenAI-compatible server, e.g. http://vllm-0:8000/v1 (repeatable; calls are spread over them)", AllowMultipleArgumentsPerToken = true }, "Model:Endpoints");
        var servedModel = flags.Add(new Option<string>("--openai-model") { Description = "the model name the server serves, e.g. Qwen/Qwen2.5-VL-7B-Instruct" }, "Model:ModelName");
        var httpPort = flags.Add(new Option<int>("--http-port") { Description = $"port of the metrics and health endpoints (default {HttpSettings.DefaultServerPort}; 0 = any free port)" }, "Http:Port");
        _ = (backend, modelDir, provider, threshold, globalSize, endpoints, servedModel, httpPort);

        var root = new RootCommand("CollabVlm server node: answers questions about camera frames in two stages.");
        flags.AddTo(root);
        root.SetAction((parse, cancellationToken) => CommonFlags.ReportingSettingsErrors(async () =>
        {
            var configuration = flags.Configuration(parse);
            var node = NodeConfiguration.Bind<ClusterNodeOptions>(configuration, "Cluster", n => n.Validate());
            var settings = NodeConfiguration.Bind<ServerSettings>(configuration, "Server", s => s.Validate());
            var model = ModelBackendFactory.FromConfiguration(configuration);
            var host = NodeHostBuilder.Create(configuration, "collabvlm-server", node)
                .ConfigureServices(s => s.AddCollabVlmServer(node, settings, model))
                .Build();
            await host.RunNodeAsync(cancellationToken);
            return 0;
        }));
        return root;
    }
}
