"""The newswire pipeline as a Spark job (local mode or a cluster); needs ``pip install pyspark``.

``job.run_job`` reads WARC / JSONL / Parquet (``io``), runs ``process_batch`` per
partition and writes partitioned Parquet with the local store's schema;
``clusters`` groups near-duplicate stories with the same MinHash as the local run.
"""

from newswire.spark.job import JobResult, outputs, run_job, session

__all__ = ["JobResult", "outputs", "run_job", "session"]
