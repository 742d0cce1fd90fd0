// libtorch's thread count is process-wide (TrainingRun calls set_num_threads) and its OpenMP pool is shared, so two
// test classes training side by side change each other's threading mid-run. A c10 "toFloat overflow" inside
// AdamW.step, seen once under the CI's load and never in a solo run, may have come from that. The classes here run
// one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
