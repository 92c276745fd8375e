"""The optional libraries the svg, fit and html exporters draw with, named for the user.

The exporters register whether or not their library is installed, so ``routinegen
exporters`` lists them and other commands never notice; rendering without the library stops
with one line naming the ``pip install`` command that adds it.
"""

from __future__ import annotations


class MissingExtra(RuntimeError):
    """An exporter's library is not installed: the message says how to install it."""


def missing(exporter: str, module: str, extra: str) -> MissingExtra:
    """The error for ``exporter`` when ``module`` (from ``routinegen[extra]``) is absent."""
    return MissingExtra(
        f"the {exporter} exporter needs {module}, which is not installed; "
        f"run: pip install 'routinegen[{extra}]'"
    )
