using CollabVlm.Inference;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>Communication figures (docs/evaluation.md, "Figures").</summary>
public static class ExtraCost
{
    /// <summary>(total bytes − global bytes) / global bytes: 0 = never retransmitted.</summary>
    public static double Of(long globalBytes, long localBytes) => globalBytes == 0 ? 0 : (double)localBytes / globalBytes;

    /// <summary>Extra bytes of a strategy / extra bytes of "always retransmit" on the same set (0 … 1).</summary>
    public static double RetransmissionShare(long localBytes, long alwaysLocalBytes) => alwaysLocalBytes == 0 ? 0 : (double)localBytes / alwaysLocalBytes;
}
