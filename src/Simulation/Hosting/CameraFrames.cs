using CollabVlm.Imaging;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Simulation.Hosting;

/// <summary>The scene-text frames simulated cameras ask about (random sign, text height drawn from the settings' range).</summary>
public static class CameraFrames
{
    /// <summary>One frame as JPEG bytes (quality 92, as a camera would keep it).</summary>
    public static byte[] Render(Random rng, SimulationSettings simulation)
    {
        var height = rng.Next(simulation.MinTextPixels, simulation.MaxTextPixels + 1);
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(simulation.FrameWidth, simulation.FrameHeight, SceneTextVocabulary.Pick(rng), height, rng.Next()));
        return JpegEncoder.Encode(frame.Bitmap, 92).Bytes;
    }
}
