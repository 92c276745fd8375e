"""``python -m routinegen``."""

from routinegen.cli import main

main()
