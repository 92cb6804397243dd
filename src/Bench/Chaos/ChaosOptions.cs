namespace CollabVlm.Bench.Chaos;

/// <summary>
/// Everything a chaos run needs: the cluster's shape, the workload (each camera asks <see cref="QuestionsPerCamera"/>
/// questions, one every <see cref="AskInterval"/>), the network, the faults and where the executables are.
/// </summary>
public sealed record ChaosOptions
{
    public int Servers { get; init; } = 3;
    public int Edges { get; init; } = 2;
    public int CamerasPerEdge { get; init; } = 25;
    public int QuestionsPerCamera { get; init; } = 20;
    public TimeSpan AskInterval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Distinct frames rendered before the run; the cameras cycle through them.</summary>
    public int Frames { get; init; } = 16;

    public ChaosNetwork Network { get; init; } = ChaosNetwork.Auto;
    public LinkShape EdgeLink { get; init; } = LinkShape.Unshaped;
    public LinkShape ServerLink { get; init; } = LinkShape.Unshaped;
    public IReadOnlyList<string> FaultSpecs { get; init; } = [];

    /// <summary>Overrides every node's <c>Cluster:DownUnreachableAfter</c> (null = the nodes' default).</summary>
    public TimeSpan? DownUnreachableAfter { get; init; }

    public required string Output { get; init; }
    public required string ServerDll { get; init; }
    public required string EdgeDll { get; init; }
    public string? ModelDir { get; init; }

    /// <summary>CPU lists (taskset form, e.g. "0" or "2-3"); server i runs on entry i mod count. Empty: unpinned.</summary>
    public IReadOnlyList<string> ServerCores { get; init; } = [];

    /// <summary>The servers' ONNX Runtime intra-op spinning (<c>Model:IntraOpSpinning</c>); null: the servers' default.</summary>
    public bool? ServerSpinning { get; init; }

    /// <summary>How long a node may take to start (servers load the model) before the run gives up.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(180);

    public IReadOnlyList<string> ServerNames => Enumerable.Range(0, Servers).Select(i => $"server{i}").ToList();
    public IReadOnlyList<string> EdgeNames => Enumerable.Range(0, Edges).Select(i => $"edge{i}").ToList();
    public int ExpectedQuestions => Edges * CamerasPerEdge * QuestionsPerCamera;

    /// <summary>The longest one question may take at the edge: every attempt may use the deadline plus the edge's grace.</summary>
    public TimeSpan Patience
    {
        get
        {
            var edge = new CollabVlm.TwoStage.EdgeSettings();
            return (Deadline + edge.AnswerGrace + edge.AcceptTimeout) * edge.MaxAttempts;
        }
    }

    public string? Problem()
    {
        if (Servers < 1 || Edges < 1 || CamerasPerEdge < 1 || QuestionsPerCamera < 1) return "--servers, --edges, --cameras and the question count must be at least 1";
        if (Servers + Edges > 250) return "at most 250 nodes";
        if (AskInterval <= TimeSpan.Zero) return "the ask interval must be positive";
        if (Deadline < TimeSpan.FromSeconds(1)) return "--deadline must be at least 1 s";
        if (Frames < 1) return "--frames must be at least 1";
        if (ServerCores.FirstOrDefault(c => c.Length == 0 || c.Any(ch => !(char.IsAsciiDigit(ch) || ch is ',' or '-'))) is { } bad)
            return $"--server-cores takes CPU lists such as 0 or 2-3, separated by ';' (got '{bad}')";
        if (!File.Exists(ServerDll)) return $"collabvlm-server not found at {ServerDll} (build src/ServerNode or pass --server-dll)";
        if (!File.Exists(EdgeDll)) return $"collabvlm-edge not found at {EdgeDll} (build src/EdgeNode or pass --edge-dll)";
        return null;
    }
}
