"""Batch generation: a routine or plan for each person of a people file, on local processes
or a Dask cluster. ``run`` holds the jobs, the worker task, the executors and the run."""
