"""Requests: presets, flags and people files merged and checked into what the solver needs.

``routine`` resolves one session, ``plan`` the dated sessions of a weekly plan, ``people``
the rows of a batch. Nothing here imports the solver.
"""
