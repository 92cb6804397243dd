// Every test here starts real node processes that run an ONNX model on the CPU; running test
// collections side by side only makes them compete for the same cores and their timeouts flaky.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
