using Akka.Actor;
using Akka.Event;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults.Telemetry;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Server;

/// <summary>
/// Owns the model on this node. Jobs wait in a bounded FIFO; as many run at once as the model
/// declares (<see cref="IVisionLanguageModel.MaxConcurrentCalls"/>), off the actor thread: one for an
/// in-process model (ONNX Runtime already uses every core for one call, so running two would only
/// make both slower), many for a served one, whose engine batches them. A full queue refuses at once
/// with <see cref="FailureReason.Busy"/>; a job whose deadline passed while it waited is dropped instead of run.
/// </summary>
public sealed class InferenceScheduler : ReceiveActor
{
    private sealed record Job(Run Request, IActorRef ReplyTo);
    private sealed record JobFinished(Job Job, ModelOutput? Output, Exception? Error);

    private readonly IVisionLanguageModel _model;
    private readonly int _capacity;
    private readonly Queue<Job> _queue = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CollabVlmMetrics? _metrics;
    private readonly int _maxRunning;
    private int _running;

    public InferenceScheduler(IVisionLanguageModel model, int capacity, CollabVlmMetrics? metrics = null)
    {
        _metrics = metrics;
        _model = model;
        _capacity = capacity;
        _maxRunning = Math.Max(1, model.MaxConcurrentCalls);

        Receive<Run>(run =>
        {
            if (_queue.Count >= _capacity)
            {
                Sender.Tell(new Failed(run.QueryId, FailureReason.Busy, $"inference queue is full ({_capacity} waiting); retry later"));
                return;
            }
            _queue.Enqueue(new Job(run, Sender));
            StartNext();
        });
        Receive<JobFinished>(done =>
        {
            _running--;
            done.Job.ReplyTo.Tell(done.Error is null
                ? new Completed(done.Job.Request.QueryId, done.Output!)
                : Failure(done.Job.Request.QueryId, done.Error));
            StartNext();
        });
        Receive<GetDepth>(_ => Sender.Tell(new Depth(_queue.Count, _running > 0)));
    }

    public static Props Props(IVisionLanguageModel model, int capacity, CollabVlmMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new InferenceScheduler(model, capacity, metrics));

    private void StartNext()
    {
        while (_running < _maxRunning && _queue.TryDequeue(out var job))
        {
            if (job.Request.Deadline <= DateTime.UtcNow)
            {
                job.ReplyTo.Tell(new Failed(job.Request.QueryId, FailureReason.Timeout, "the query's deadline passed while it waited for the model"));
                continue;
            }
            _running++;
            var self = Self;
            // No cancellation token: a started model call runs to the end; the deadline check above
            // keeps stale work from starting at all.
            Task<ModelOutput> answer;
            try
            {
                answer = _model.AnswerAsync(job.Request.Input, CancellationToken.None);
            }
            catch (Exception e)
            {
                // A backend that throws before returning a task must not crash the scheduler (a
                // restart would drop every queued job): treat it like a faulted task.
                answer = Task.FromException<ModelOutput>(e);
            }
            answer.ContinueWith(
                t => self.Tell(new JobFinished(job, t.IsCompletedSuccessfully ? t.Result : null,
                    t.IsCompletedSuccessfully ? null : (Exception?)t.Exception?.GetBaseException() ?? new TaskCanceledException())),
                TaskScheduler.Default);
        }
        // Every change of the queue (enqueue, finish) passes through here.
        _metrics?.SetQueueDepth(_queue.Count);
    }

    private Failed Failure(QueryId id, Exception error)
    {
        if (error is ImageDecodeException decode)
            return new Failed(id, FailureReason.InvalidImage, decode.Message);
        _log.Error(error, "model {0} failed on query {1}", _model.Name, id);
        return new Failed(id, FailureReason.InferenceFailed, $"{_model.Name} failed: {error.GetType().Name}: {error.Message}");
    }
}
