namespace CollabVlm.Bench.Latency;

/// <summary>The five ways of answering that the latency benchmark compares ; names as in its JSON.</summary>
public enum LatencyStrategy
{
    /// <summary>The whole stored frame uploaded and read at full resolution (the cost ceiling).</summary>
    FullFrame,
    GlobalOnly,
    /// <summary>Always retransmit, the local image as one layer (the two-stage baseline).</summary>
    Always,
    GatedProgressive,
    GatedProgressiveEarlyStop,
}
