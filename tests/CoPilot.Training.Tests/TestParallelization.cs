// libtorch's thread count is process-wide (TrainingRun calls set_num_threads) and its OpenMP pool is shared, so two
// test classes training side by side change each other's threading mid-run. Under the CI's load that once ended in a
// c10 "toFloat overflow" inside AdamW.step, which no solo run reproduced. The classes here run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
