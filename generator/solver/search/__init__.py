"""Domain-free search: the LP relaxation, the LP-guided maximisation, interruptible solves."""
