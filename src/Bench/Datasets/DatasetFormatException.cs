namespace CollabVlm.Bench.Datasets;

/// <summary>A data set that cannot be used, with the file, line and field that are wrong in the message.</summary>
public sealed class DatasetFormatException(string message) : Exception(message);
