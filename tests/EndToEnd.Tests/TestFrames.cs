using CollabVlm.Simulation.Frames;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>Synthetic scene-text frames written as JPEG files into a folder the owner deletes.</summary>
public sealed class TestFrames : IDisposable
{
    public TestFrames()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("collabvlm-e2e-").FullName;
    }

    public string Directory { get; }

    /// <summary>A 2048×1536 frame, "EXIT 24" at 48 px cap height: readable from the global image.</summary>
    public static SceneTextRequest LargeText { get; } = new(2048, 1536, "EXIT 24", 48, Seed: 1);

    /// <summary>A 4000×3000 frame, "NO PARKING" at 14 px: unreadable globally, needs the crop.</summary>
    public static SceneTextRequest SmallText { get; } = new(4000, 3000, "NO PARKING", 14, Seed: 3);

    /// <summary>Renders <paramref name="request"/> to <c>name.jpg</c> (once) and returns the path.</summary>
    public string Jpeg(SceneTextRequest request, string name)
    {
        var path = Path.Combine(Directory, name + ".jpg");
        if (File.Exists(path)) return path;
        using var frame = SceneTextRenderer.Render(request);
        FrameFiles.SaveJpeg(frame.Bitmap, path);
        return path;
    }

    /// <summary>Writes <paramref name="bytes"/> as <c>name</c> and returns the path.</summary>
    public string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not worth failing a test run for.
        }
    }
}
