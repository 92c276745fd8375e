"""Shared fixtures and the Hypothesis profiles.

``ci`` (the default) is derandomized so every run tries the same examples; set
``HYPOTHESIS_PROFILE=long`` for a randomized, ten times longer search.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

FIXTURES = Path(__file__).parent / "fixtures"

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' own parsed-catalog cache (subprocesses inherit it): never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROUTINEGEN_CACHE_DIR", str(folder))
        patch.delenv("ROUTINEGEN_NO_CACHE", raising=False)
        yield folder


@pytest.fixture(scope="session")
def full_body() -> Any:
    from routinegen.catalog import load_catalog

    return load_catalog("full-body")


@pytest.fixture(scope="session")
def back() -> Any:
    from routinegen.catalog import load_catalog

    return load_catalog("back")


@pytest.fixture(scope="session")
def tiny() -> Any:
    """tests/fixtures/tiny.yaml: six single-dose exercises; traps only with a kettlebell."""
    from routinegen.catalog import load_catalog

    return load_catalog(str(FIXTURES / "tiny.yaml"))


@pytest.fixture(scope="session")
def make_request() -> Callable[..., Any]:
    """``make_request(catalog, minutes=15, equipment="none", ...)``: flags to a Request."""
    from routinegen.request.routine import resolve_request
    from routinegen.request.settings import Setting

    def build(catalog: Any, **values: Any) -> Any:
        settings_: Mapping[str, Setting] = {
            key: Setting(value, "--" + key.replace("_", "-"))
            for key, value in values.items()
            if value is not None
        }
        return resolve_request(catalog, settings_)

    return build
