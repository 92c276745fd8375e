"""The coaching rules: what a goal prescribes, how a session is ordered, and its warm-up and
cool-down. Plain data and small functions, free of the solver, so that the model, the
explanations and the tests all read the same facts (``COACHING.md`` in the design notes)."""
