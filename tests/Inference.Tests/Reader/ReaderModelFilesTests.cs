using CollabVlm.Inference.Reader;

namespace CollabVlm.Inference.Tests.Reader;

public sealed class ReaderModelFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("collabvlm-model-").FullName;

    [Fact]
    public void A_configured_folder_without_the_files_is_a_mistake_reported_by_name_not_an_absence()
    {
        File.WriteAllText(Path.Combine(_folder, "ppocr_keys_v1.txt"), "a\n");

        var error = Assert.Throws<FileNotFoundException>(() => ReaderModelFiles.LocateIfPresent(_folder, out _));
        Assert.Contains(_folder, error.Message);
        Assert.Contains("ch_PP-OCRv4_det_infer.onnx", error.Message);
        Assert.DoesNotContain("ppocr_keys_v1.txt", error.Message);
    }

    [Fact]
    public void With_nothing_configured_the_search_finds_the_fetched_model()
    {
        // The tests run from a checkout where scripts/fetch-model.sh has put the model (scripts/test.sh fetches it).
        var files = ReaderModelFiles.LocateIfPresent(null, out var problem);

        Assert.NotNull(files);
        Assert.Null(problem);
        Assert.True(File.Exists(files.Detector));
        Assert.Equal(ReaderModelFiles.Locate().Detector, files.Detector);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
