"""Batch generation: a routine or plan for each person of a people file, each an independent
task, on local processes or a Dask cluster.

``jobs`` checks the rows and turns them into tasks, ``worker`` is what runs one task,
``executors`` is where tasks run, and ``run`` writes the outputs and the summary. Nothing
here prints; the CLI shows progress.
"""

from routinegen.batch.executors import (
    InlineExecutor,
    dask_client,
    dask_window,
    default_workers,
    process_pool,
)
from routinegen.batch.jobs import Format, Job, Outcome, prepare
from routinegen.batch.run import STATE_DIR, SUMMARY_NAME, BatchRun, exit_code
from routinegen.batch.worker import run_task

__all__ = [
    "STATE_DIR",
    "SUMMARY_NAME",
    "BatchRun",
    "Format",
    "InlineExecutor",
    "Job",
    "Outcome",
    "dask_client",
    "dask_window",
    "default_workers",
    "exit_code",
    "prepare",
    "process_pool",
    "run_task",
]
