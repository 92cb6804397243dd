using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace CollabVlm.Inference.Onnx;

/// <summary>
/// Opens ONNX models on the chosen execution provider. The Gpu package's native library also
/// runs the CPU provider, so one package serves both; CUDA is tried only when asked or on Auto.
/// </summary>
public static class OnnxSessionFactory
{
    /// <returns>The session and the provider it actually runs on ("CUDA", or "CPU" with why not CUDA).</returns>
    /// <param name="allowSpinning">
    /// Whether ONNX Runtime's intra-op threads spin while waiting for work (its default). Spinning buys a little
    /// latency on an idle machine and burns the cores other processes on it need; off where several share cores.
    /// </param>
    public static (InferenceSession Session, string Provider) Open(string modelPath, ExecutionProviderChoice choice, int intraOpThreads = 0, bool allowSpinning = true)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);

        var why = "CPU (forced by setting)";
        if (choice == ExecutionProviderChoice.Auto && !CudaDriverPresent())
        {
            // Without the driver the CUDA provider cannot work; trying it would only make ONNX
            // Runtime print a loader error on every CPU-only machine.
            why = "CPU (no CUDA driver on this machine)";
        }
        else if (choice != ExecutionProviderChoice.Cpu)
        {
            try
            {
                using var cudaOptions = NewOptions(intraOpThreads, allowSpinning);
                cudaOptions.AppendExecutionProvider_CUDA();
                return (new InferenceSession(modelPath, cudaOptions), "CUDA");
            }
            catch (Exception e) when (choice == ExecutionProviderChoice.Auto && e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                // A driver but no usable CUDA runtime (libraries, cuDNN, device): fall back to CPU.
                why = $"CPU (CUDA provider could not start: {e.Message.Split('\n')[0]})";
            }
            catch (Exception e) when (choice == ExecutionProviderChoice.Cuda)
            {
                throw new InvalidOperationException($"execution provider CUDA was required but could not start: {e.Message}", e);
            }
        }
        using var options = NewOptions(intraOpThreads, allowSpinning);
        return (new InferenceSession(modelPath, options), why);
    }

    private static bool CudaDriverPresent()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }

    private static SessionOptions NewOptions(int intraOpThreads, bool allowSpinning)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (intraOpThreads > 0) options.IntraOpNumThreads = intraOpThreads;
        if (!allowSpinning) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}
