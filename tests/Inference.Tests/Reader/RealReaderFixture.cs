using CollabVlm.Inference.Reader;

namespace CollabVlm.Inference.Tests.Reader;

/// <summary>One PP-OCRv4 reader (the real model, found by <see cref="ReaderModelFiles.Locate"/>) shared by a test class.</summary>
public sealed class RealReaderFixture : IDisposable
{
    public RealReaderFixture() => Reader = new PpOcrReader(new ReaderOptions());

    public PpOcrReader Reader { get; }

    public void Dispose() => Reader.Dispose();
}
