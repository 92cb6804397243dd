namespace CollabVlm.Bench.Datasets;

/// <summary>A data set folder and its questions in manifest order.</summary>
public sealed record Dataset(string Folder, IReadOnlyList<DatasetItem> Items)
{
    public string ImagePath(DatasetItem item) => Path.Combine(Folder, item.Image);
}
