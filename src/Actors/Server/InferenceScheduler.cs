using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.TwoStage.Admission;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Server;

/// <summary>
/// Owns the model on this node. Jobs wait in a bounded FIFO; as many run at once as the model
/// declares (<see cref="IVisionLanguageModel.MaxConcurrentCalls"/>), off the actor thread: one for an
/// in-process model (ONNX Runtime already uses every core for one call, so running two would only
/// make both slower), many for a served one, whose engine batches them. A full queue refuses at once
/// with <see cref="FailureReason.Busy"/>. Waiting jobs are re-judged at every change and twice a second
/// (<see cref="QueueShedding"/>): one the queue's progress says will finish after its deadline is failed as busy
/// while time is left, never run late or left to expire in the queue.
/// Every change of the queue is published as an <see cref="InferenceLoad"/> (the gateway admits by it). On
/// <see cref="Drain"/> (shutdown) it runs nothing more and answers once the running calls returned, so the model is
/// never disposed under a call.
/// </summary>
public sealed class InferenceScheduler : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan ShedCheckInterval = TimeSpan.FromMilliseconds(500);

    private sealed record ShedCheck;
    private sealed record Job(Run Request, IActorRef ReplyTo);
    private sealed record JobFinished(Job Job, ModelOutput? Output, Exception? Error, TimeSpan Took);

    private readonly IVisionLanguageModel _model;
    private readonly int _capacity;
    private readonly Queue<Job> _queue = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CollabVlmMetrics? _metrics;
    private readonly List<IActorRef> _drainWaiters = [];
    private long _globalRuns;
    private bool _draining;
    private readonly int _maxRunning;
    private readonly Dictionary<Job, long> _runningSince = new(ReferenceEqualityComparer.Instance);
    private readonly WaitPredictor _service;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="serviceTimePrior">Time of one model call assumed until one finished (<c>Server:ServiceTimePrior</c>).</param>
    public InferenceScheduler(IVisionLanguageModel model, int capacity, CollabVlmMetrics? metrics = null, TimeSpan? serviceTimePrior = null)
    {
        _service = new WaitPredictor(serviceTimePrior ?? TimeSpan.FromSeconds(0.5));
        _metrics = metrics;
        _model = model;
        _capacity = capacity;
        _maxRunning = Math.Max(1, model.MaxConcurrentCalls);

        Receive<Run>(run =>
        {
            if (!run.Input.IsRefined) _globalRuns++;
            if (_draining || _queue.Count >= _capacity)
            {
                Sender.Tell(_draining
                    ? new Failed(run.QueryId, FailureReason.ShuttingDown, "this server is shutting down; retry on another server")
                    : new Failed(run.QueryId, FailureReason.Busy, $"inference queue is full ({_capacity} waiting); retry later"));
                Publish(null);
                return;
            }
            _queue.Enqueue(new Job(run, Sender));
            StartNext(null);
        });
        Receive<JobFinished>(done =>
        {
            _runningSince.Remove(done.Job);
            _service.Observe(done.Took);
            done.Job.ReplyTo.Tell(done.Error is null
                ? new Completed(done.Job.Request.QueryId, done.Output!)
                : Failure(done.Job.Request.QueryId, done.Error));
            StartNext(done.Took);
        });
        Receive<ShedCheck>(_ => StartNext(null));
        Receive<GetDepth>(_ => Sender.Tell(new Depth(_queue.Count, _runningSince.Count > 0)));
        Receive<Drain>(_ =>
        {
            _draining = true;
            while (_queue.TryDequeue(out var job))
                job.ReplyTo.Tell(new Failed(job.Request.QueryId, FailureReason.ShuttingDown, "this server is shutting down; the job was not run"));
            _drainWaiters.Add(Sender);
            StartNext(null);
        });
    }

    public static Props Props(IVisionLanguageModel model, int capacity, CollabVlmMetrics? metrics = null, TimeSpan? serviceTimePrior = null) =>
        Akka.Actor.Props.Create(() => new InferenceScheduler(model, capacity, metrics, serviceTimePrior));

    private void StartNext(TimeSpan? lastCall)
    {
        ShedOverdue();
        while (_runningSince.Count < _maxRunning && _queue.TryDequeue(out var job))
        {
            var self = Self;
            var started = Stopwatch.GetTimestamp();
            _runningSince[job] = started;
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
                    t.IsCompletedSuccessfully ? null : (Exception?)t.Exception?.GetBaseException() ?? new TaskCanceledException(),
                    Stopwatch.GetElapsedTime(started))),
                TaskScheduler.Default);
        }
        if (_runningSince.Count == 0 && _drainWaiters.Count > 0)
        {
            foreach (var waiter in _drainWaiters) waiter.Tell(Drained.Instance);
            _drainWaiters.Clear();
        }
        // Only a waiting job can become overdue; an idle queue needs no checks.
        if (_queue.Count > 0 && !Timers.IsTimerActive("shed")) Timers.StartPeriodicTimer("shed", new ShedCheck(), ShedCheckInterval);
        else if (_queue.Count == 0) Timers.Cancel("shed");
        Publish(lastCall);
    }

    private void ShedOverdue()
    {
        if (_queue.Count == 0) return;
        var now = DateTime.UtcNow;
        var jobs = _queue.ToArray();
        var overdue = QueueShedding.Overdue(jobs.Select(j => j.Request.Deadline).ToArray(),
            _runningSince.Values.Select(since => Stopwatch.GetElapsedTime(since)).ToArray(), _maxRunning, _service.ServiceTime, now, _service.LongServiceTime);
        if (overdue.Count == 0) return;
        _queue.Clear();
        var shed = overdue.ToHashSet();
        for (var i = 0; i < jobs.Length; i++)
        {
            if (!shed.Contains(i))
            {
                _queue.Enqueue(jobs[i]);
                continue;
            }
            var left = jobs[i].Request.Deadline - now;
            var reason = left > TimeSpan.Zero ? FailureReason.Busy : FailureReason.Timeout;
            _log.Info("shed {0} pass of query {1} from the model queue ({2:0.0} s of its deadline left, {3} ahead of it)",
                jobs[i].Request.Input.IsRefined ? "refined" : "global", jobs[i].Request.QueryId, left.TotalSeconds, i + _runningSince.Count);
            jobs[i].ReplyTo.Tell(new Failed(jobs[i].Request.QueryId, reason, QueueShedding.Reason(left, _service.ServiceTime)));
        }
    }

    // Every change of the queue (enqueue, finish, refusal) passes through here.
    private void Publish(TimeSpan? lastCall)
    {
        _metrics?.SetQueueDepth(_queue.Count);
        // With several calls at once (a served model), a job waits for its share of those ahead of it.
        var ahead = (_queue.Count + _runningSince.Count + _maxRunning - 1) / _maxRunning;
        Context.System.EventStream.Publish(new InferenceLoad(ahead, _globalRuns, lastCall));
    }

    private Failed Failure(QueryId id, Exception error)
    {
        if (error is ImageDecodeException decode)
            return new Failed(id, FailureReason.InvalidImage, decode.Message);
        _log.Error(error, "model {0} failed on query {1}", _model.Name, id);
        return new Failed(id, FailureReason.InferenceFailed, $"{_model.Name} failed: {error.GetType().Name}: {error.Message}");
    }
}
