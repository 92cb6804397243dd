namespace CollabVlm.Simulation.Tests.Frames;

/// <summary>
/// Tests that render share one collection because one of them points the process-wide font-folder
/// environment variable at an empty folder; run in parallel, the others would see it and fail.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FontFolderCollection
{
    public const string Name = "renders with the process-wide font folder";
}
