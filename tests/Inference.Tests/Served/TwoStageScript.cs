namespace CollabVlm.Inference.Tests.Served;

/// <summary>
/// How the stand-in plays a VLM through the two-stage protocol: the grounding request (no
/// log-probabilities asked) gets a Qwen2.5-VL box (pixels 300–480 × 60–200: the upper right of a 512-px global image); a one-image
/// request (the global pass) gets a sure or an unsure answer as <see cref="GlobalSure"/> says; a
/// two-image request (the refined pass) gets a sure answer. Scripted, not inferred: the point is the
/// protocol and the backend, not the reading.
/// </summary>
public sealed class TwoStageScript
{
    public const string GlobalAnswer = "EX1T 2A";
    public const string RefinedAnswer = "EXIT 24";

    /// <summary>Top-1 probability of every global token: 0.3 → H∞ 1.74 bits (unsure); 0.995 → 0.007 bits (sure).</summary>
    public bool GlobalSure { get; set; }

    public StandInReply Answer(StandInRequest request)
    {
        if (!request.AsksLogprobs) return StandInReply.Ok(ServedShapes.QwenGrounding(300, 60, 480, 200));
        return request.ImageUrls.Count >= 2
            ? StandInReply.Ok(ServedShapes.Vllm(RefinedAnswer, 0.995))
            : StandInReply.Ok(ServedShapes.Vllm(GlobalSure ? RefinedAnswer : GlobalAnswer, GlobalSure ? 0.995 : 0.3));
    }
}
