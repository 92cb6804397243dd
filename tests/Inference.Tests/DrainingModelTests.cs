namespace CollabVlm.Inference.Tests;

public sealed class DrainingModelTests
{
    private sealed class GatedModel : IVisionLanguageModel
    {
        public TaskCompletionSource<ModelOutput> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Disposed { get; private set; }
        public string Name => "gated";
        public int GlobalLongSide => 64;

        public Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            return Result.Task;
        }

        public void Dispose() => Disposed = true;
    }

    private static ModelOutput Output() => new("x", [], new RelevanceMap(1, 1, [0f]), 10, TimeSpan.Zero);

    [Fact]
    public async Task The_model_is_disposed_only_after_the_running_call_returned()
    {
        var model = new GatedModel();
        var draining = new DrainingModel(model, TimeSpan.FromSeconds(30));
        var call = draining.AnswerAsync(new ModelInput("q", []), CancellationToken.None);
        await model.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var disposing = Task.Run(draining.DisposeWhenIdle);
        // New calls are refused at once while the running one finishes.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (draining.Accepting && DateTime.UtcNow < until) await Task.Delay(10);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => draining.AnswerAsync(new ModelInput("q", []), CancellationToken.None));
        Assert.False(model.Disposed);
        Assert.Equal(1, draining.Running);

        model.Result.SetResult(Output());
        Assert.Equal("x", (await call.WaitAsync(TimeSpan.FromSeconds(10))).Answer);
        Assert.True(await disposing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(model.Disposed);
        Assert.True(draining.DisposeWhenIdle()); // twice is harmless
    }

    [Fact]
    public async Task A_call_that_outlives_the_wait_leaves_the_model_undisposed()
    {
        var model = new GatedModel();
        var draining = new DrainingModel(model, TimeSpan.FromMilliseconds(50));
        _ = draining.AnswerAsync(new ModelInput("q", []), CancellationToken.None);
        await model.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(draining.DisposeWhenIdle());
        Assert.False(model.Disposed);
        model.Result.SetResult(Output());
    }

    [Fact]
    public void An_idle_model_is_disposed_at_once()
    {
        var model = new GatedModel();
        new DrainingModel(model, TimeSpan.FromSeconds(30)).Dispose();
        Assert.True(model.Disposed);
    }
}
