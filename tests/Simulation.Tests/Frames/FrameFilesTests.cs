using CollabVlm.Imaging;
using CollabVlm.Imaging.Tests;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Simulation.Tests.Frames;

[Collection(FontFolderCollection.Name)]
public sealed class FrameFilesTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "collabvlm-framefiles-" + Guid.NewGuid());

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Saved_files_decode_back_to_the_frame()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(320, 240, "CAFE", 20, Seed: 4));
        var jpegPath = Path.Combine(folder, "nested", "frame.jpg");
        var pngPath = Path.Combine(folder, "frame.png");

        FrameFiles.SaveJpeg(frame.Bitmap, jpegPath);
        FrameFiles.SavePng(frame.Bitmap, pngPath);

        Assert.Equal(new ImageHeader(ImageFormatKind.Jpeg, 320, 240), SafeImageDecoder.ReadHeader(File.ReadAllBytes(jpegPath)));
        using var png = SafeImageDecoder.Decode(File.ReadAllBytes(pngPath));
        Assert.Equal(TestFrames.Rgba(frame.Bitmap), TestFrames.Rgba(png));
    }
}
