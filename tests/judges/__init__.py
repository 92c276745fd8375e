"""Independent judges: they check results against the request without asking the solver."""
