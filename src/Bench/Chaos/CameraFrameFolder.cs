using System.Globalization;
using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// Frames rendered once before a run of real edge processes (<c>collabvlm-edge serve --frames DIR</c>), so that the
/// cameras cycle through them instead of rendering one per question on the CPU the run measures.
/// </summary>
public static class CameraFrameFolder
{
    /// <summary>Empties (or creates) <paramref name="folder"/> and writes <paramref name="count"/> frames into it, the same ones every time.</summary>
    public static string Render(string folder, int count)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var rng = new Random(1);
        var simulation = new SimulationSettings();
        for (var i = 0; i < count; i++)
            File.WriteAllBytes(Path.Combine(folder, $"frame{i.ToString("000", CultureInfo.InvariantCulture)}.jpg"), CameraFrames.Render(rng, simulation));
        return folder;
    }
}
