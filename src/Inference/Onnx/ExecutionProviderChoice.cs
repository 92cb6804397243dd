namespace CollabVlm.Inference.Onnx;

/// <summary>Which ONNX Runtime execution provider to run on.</summary>
public enum ExecutionProviderChoice
{
    /// <summary>CUDA when the CUDA provider loads on this machine, else CPU.</summary>
    Auto,
    Cpu,
    /// <summary>CUDA or fail at start-up (no silent fallback).</summary>
    Cuda,
}
