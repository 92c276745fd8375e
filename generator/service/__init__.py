"""The HTTP service (``routinegen serve``): a FastAPI app over the public API.

The app is built by ``routinegen.service.app.create_app``; nothing here imports FastAPI, so
importing the package (or the CLI) stays light until the service actually starts. Its layers:
``config`` (what the command line decided), ``storage`` (SQLite: jobs and results survive a
``kill -9``), ``pool`` (solves in a bounded process pool, off the event loop), ``bodies`` (the
request vocabulary of the CLI flags), ``problems`` (RFC 9457 errors), ``negotiation``
(exporters chosen by ``Accept`` or ``?format=``) and one module of routes per job.
"""
