"""The jobs of a batch: formats, valid people ready to run, and what became of each.

Rows are checked against their catalog here, in the parent (no solver), so a bad row is
reported with its line while the others run, and the dates a person did not give are fixed
once, for the worker and the fingerprint alike.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routinegen.catalog import DEFAULT_CATALOG
from routinegen.errors import InputError
from routinegen.exporter import KINDS, RenderContext
from routinegen.output.document import generator_version
from routinegen.request.people import PeopleFile, Row
from routinegen.request.settings import Setting

if TYPE_CHECKING:
    from routinegen.catalog import Catalog
    from routinegen.registry import Registry


# ---------------------------------------------------------------------------- data


@dataclasses.dataclass(frozen=True)
class Format:
    """An output format of the batch, as the parent resolved it."""

    name: str
    extension: str
    options: Mapping[str, Any]
    plugin: str  # who provides it, e.g. "plugin 'json' from routinegen 0.1.0"; workers must agree
    kinds: tuple[str, ...] = KINDS  # the result kinds its exporter renders


@dataclasses.dataclass(frozen=True)
class Job:
    """A valid person, ready to run: the task for a worker and the fingerprint of its output."""

    id: str
    line: int
    kind: str
    task: dict[str, Any]
    fingerprint: str
    index: int = 0  # the row's place in the file (lines may repeat in YAML flow style)


@dataclasses.dataclass
class Outcome:
    """What became of one person; ``status`` is ok, infeasible, error, invalid or not-run."""

    id: str | None
    line: int
    kind: str | None
    status: str
    skipped: bool = False  # ok because the outputs were already complete and up to date
    files: list[str] = dataclasses.field(default_factory=list)
    solver: dict[str, Any] | None = None
    seconds: float | None = None
    message: str | None = None
    conflicts: list[str] | None = None
    index: int = 0

    @property
    def failed(self) -> bool:
        return self.status != "ok"

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        drop = ("skipped", "index")
        return {k: v for k, v in data.items() if v is not None and k not in drop} | (
            {"skipped": True} if self.skipped else {}
        )


# ---------------------------------------------------------------------------- preparing


def catalog_digest(catalog: Catalog) -> str:
    """A hash of what the solver sees of a catalog; the same in every process and host."""
    text = json.dumps(_plain(catalog), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """Canonical plain data: sets sorted (their order changes with the hash seed)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [[f.name, _plain(getattr(value, f.name))] for f in dataclasses.fields(value)]
    if isinstance(value, Mapping):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Catalogs:
    """The parent's catalogs, loaded once per spec, with what a task carries to name them."""

    def __init__(self, registry: Registry) -> None:
        from routinegen.catalog import builtin_catalogs

        self.registry = registry
        self.extra = registry.catalog_sources()
        self.named = set(builtin_catalogs()) | set(self.extra)
        self.loaded: dict[str, tuple[Catalog, dict[str, Any], str] | InputError] = {}

    def get(self, spec: str, setting: Setting | None) -> tuple[Catalog, dict[str, Any], str]:
        from routinegen.catalog import load_catalog

        if spec not in self.loaded:
            try:
                self.registry.check_catalog(spec)
                catalog = load_catalog(spec, extra=self.extra)
                # A built-in or plugin catalog travels by name, a file as the catalog itself,
                # so that workers on other hosts need not see the file.
                ref = {"name": spec} if spec in self.named else {"pickle": pickle.dumps(catalog)}
                self.loaded[spec] = (catalog, ref, catalog_digest(catalog))
            except InputError as exc:
                self.loaded[spec] = InputError(f"{setting.origin}: {exc}" if setting else str(exc))
        entry = self.loaded[spec]
        if isinstance(entry, InputError):
            raise entry
        return entry


def prepare(
    people: PeopleFile, formats: Sequence[Format], registry: Registry, context: RenderContext
) -> tuple[list[Job], list[Outcome]]:
    """Check every row against its catalog (no solver): the jobs to run and the invalid rows.

    Every person's outputs are stamped with ``context``'s time; each person is its own
    identity, so two people with the same settings still get calendar events of their own.
    """
    catalogs = _Catalogs(registry)
    jobs: list[Job] = []
    invalid: list[Outcome] = []
    for index, row in enumerate(people.rows):
        if row.error is None:
            assert row.id is not None
            try:
                jobs.append(dataclasses.replace(_job(row, formats, catalogs, context), index=index))
                continue
            except InputError as exc:
                message, kind = str(exc), row.kind
        else:
            message, kind = row.error, None
        invalid.append(Outcome(row.id, row.line, kind, "invalid", message=message, index=index))
    return jobs, invalid


def _given(setting: Setting | None) -> bool:
    return setting is not None and setting.value not in (None, "")


def _job(row: Row, formats: Sequence[Format], catalogs: _Catalogs, context: RenderContext) -> Job:
    from routinegen.request.plan import resolve_plan_request
    from routinegen.request.routine import resolve_request

    assert row.id is not None
    spec_setting = row.settings.get("catalog")
    spec = str(spec_setting.value) if spec_setting and _given(spec_setting) else DEFAULT_CATALOG
    catalog, ref, digest = catalogs.get(spec, spec_setting)
    settings = dict(row.settings)
    for fmt in formats:
        if row.kind not in fmt.kinds:
            raise InputError(
                f"the {fmt.name} format renders {' and '.join(fmt.kinds)}s only, not {row.kind}s"
            )
    if row.kind == "routine":
        request = resolve_request(catalog, settings)
        if not _given(settings.get("start")):
            assert request.start is not None
            settings["start"] = Setting(request.start.isoformat(), "the batch's 'tomorrow'")
    else:
        plan = resolve_plan_request(catalog, settings)
        if not _given(settings.get("start")):
            first = plan.slots[0].date  # in the week that starts next Monday
            monday = first - timedelta(days=first.weekday())
            settings["start"] = Setting(monday.isoformat(), "the batch's 'next Monday'")
    split = settings.get("split")
    split_digest = None
    if split is not None and _given(split) and Path(str(split.value)).is_file():
        from routinegen.sources.files import read_bytes

        split_digest = hashlib.sha256(read_bytes(str(split.value), "a split file")).hexdigest()
    version = generator_version()
    # A reproducible stamp is part of what the outputs are; the clock's is not, or every
    # run would redo every person.
    stamp = context.timestamp.isoformat() if context.reproducible else None
    plain_formats = [
        {"name": f.name, "extension": f.extension, "options": dict(f.options), "plugin": f.plugin}
        for f in sorted(formats, key=lambda f: f.name)
    ]
    identity = {
        "routinegen": version,
        "kind": row.kind,
        "settings": {k: settings[k].value for k in sorted(settings)},
        "catalog": digest,
        "split": split_digest,
        "formats": plain_formats,
        "reproducible_stamp": stamp,
    }
    fingerprint = hashlib.sha256(
        json.dumps(identity, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    task = {
        "id": row.id,
        "kind": row.kind,
        "settings": {k: [s.value, s.origin] for k, s in settings.items()},
        "catalog": ref,
        "catalog_digest": digest,
        "formats": plain_formats,
        "routinegen": version,
        "timestamp": context.timestamp.isoformat(),
        "reproducible": context.reproducible,
    }
    return Job(row.id, row.line, row.kind, task, fingerprint)
