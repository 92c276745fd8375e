"""Loading plugins: the built-in ones and third parties' alike, through one entry-point group.

A plugin that fails to import or register is skipped and reported, never fatal: one broken
package must not take the tool down. Inside the project's own test runs only the built-in
plugins load, unless ``ROUTINEGEN_LOAD_PLUGINS`` says otherwise.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import EntryPoint, entry_points
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pluggy

from routinegen import hookspecs
from routinegen.errors import InputError
from routinegen.exporter import NAME, Exporter, check_exporter, is_interrupt, safe_repr
from routinegen.exporter import one_line as one_line  # re-exported: its old home

GROUP = "routinegen"
BUILTIN_DIST = "routinegen"
LOAD_ENV = "ROUTINEGEN_LOAD_PLUGINS"
IN_PROCESS = "(in-process)"
# Format and catalog names are typed on command lines: keep them plain.
_NAME = NAME


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its entry-point name, distribution, version and hooks."""

    name: str
    distribution: str
    version: str
    hooks: tuple[str, ...]
    key: str = ""  # the name it is registered under: "distribution:entry-point"


@dataclass
class Registry:
    """The plugin manager and what the plugins registered; ``warnings`` are for the CLI."""

    manager: pluggy.PluginManager
    plugins: list[PluginInfo] = field(default_factory=list)
    exporters: dict[str, list[tuple[Exporter, str]]] = field(default_factory=dict)
    catalogs: dict[str, list[tuple[Traversable, str]]] = field(default_factory=dict)
    commands: dict[str, list[tuple[Any, str]]] = field(default_factory=dict)  # click commands
    warnings: list[str] = field(default_factory=list)

    def describe(self, key: str) -> str:
        """A plugin as a user should read it: entry point, distribution and version."""
        info = next((p for p in self.plugins if p.key == key), None)
        if info is None:
            return f"plugin {key!r}"
        if info.distribution == IN_PROCESS:
            return f"plugin {info.name!r} (in-process)"
        return f"plugin {info.name!r} from {info.distribution} {info.version}"

    def exporter(self, name: str) -> Exporter:
        """The exporter for ``--format name``; an unknown or doubly claimed name is an error."""
        return self._claim(name)[0]

    def owner(self, name: str) -> str:
        """The key of the one plugin that provides format ``name``."""
        return self._claim(name)[1]

    def _claim(self, name: str) -> tuple[Exporter, str]:
        claims = self.exporters.get(name, [])
        if not claims:
            known = ", ".join(sorted(self.exporters)) or "none"
            raise InputError(f"unknown format {name!r}; installed exporters: {known}")
        if len(claims) > 1:
            owners = " and ".join(sorted(self.describe(plugin) for _, plugin in claims))
            raise InputError(
                f"format {name!r} is claimed by both {owners}; "
                f"uninstall one, or limit plugins with {LOAD_ENV}"
            )
        return claims[0]

    def formats_for_extension(self, extension: str) -> list[str]:
        """Every format name whose file extension is ``extension``."""
        return sorted(
            {
                e.name
                for claims in self.exporters.values()
                for e, _ in claims
                if e.extension == extension
            }
        )

    def by_extension(self, extension: str) -> str | None:
        """The format whose file extension is ``extension``, if exactly one claims it."""
        names = self.formats_for_extension(extension)
        return names[0] if len(names) == 1 else None

    def catalog_sources(self) -> dict[str, Traversable]:
        """Plugin catalogs for ``load_catalog(extra=...)``; doubly claimed names are left out."""
        return {name: claims[0][0] for name, claims in self.catalogs.items() if len(claims) == 1}

    def check_catalog(self, name: str) -> None:
        """Refuse a catalog name that two plugins claim, naming both."""
        claims = self.catalogs.get(name, [])
        if len(claims) > 1:
            owners = " and ".join(sorted(self.describe(plugin) for _, plugin in claims))
            raise InputError(
                f"catalog {name!r} is provided by both {owners}; "
                f"uninstall one, or limit plugins with {LOAD_ENV}"
            )


def _normal(distribution: str) -> str:
    """PEP 503 normalisation: ``Routinegen_Markdown`` and ``routinegen-markdown`` are one."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _wanted() -> set[str] | None:
    """Third-party distributions to load: None means all of them.

    Like llm and datasette, a test run sees only the built-ins unless a test asks for more,
    so whatever happens to be installed beside routinegen cannot change what tests see.
    """
    value = os.environ.get(LOAD_ENV)
    if value is None:
        return set() if "pytest" in sys.modules else None
    return {_normal(name.strip()) for name in value.split(",") if name.strip()}


def load_registry(extra: Iterable[tuple[str, object]] = ()) -> Registry:
    """Load every wanted plugin, then collect what each registers.

    ``extra`` plugins (name, module or object) are registered after the installed ones, as
    tests and embedding programs do; they go through the same checks.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager)
    wanted = _wanted()
    found: set[str] = set()
    described = [(*_distribution(ep), ep) for ep in entry_points(group=GROUP)]
    for dist, version, ep in sorted(described, key=lambda d: (d[0], d[2].name)):
        if _normal(dist) != BUILTIN_DIST and wanted is not None and _normal(dist) not in wanted:
            continue
        found.add(_normal(dist))
        _register(registry, f"{dist}:{ep.name}", ep.name, dist, version, ep.load)
    for missing in sorted((wanted or set()) - found - {BUILTIN_DIST}):
        registry.warnings.append(
            f"{LOAD_ENV} names {missing!r}, but no installed distribution of that name "
            f"has {GROUP!r} entry points"
        )
    for name, plugin in extra:
        _register(registry, name, name, IN_PROCESS, "", _given(plugin))
    _collect_exporters(registry)
    _collect_catalogs(registry)
    _collect_commands(registry)
    return registry


def _distribution(ep: EntryPoint) -> tuple[str, str]:
    """The name and version of an entry point's distribution, its metadata parsed once (each
    ``dist.name`` or ``dist.version`` parses the whole file again)."""
    if ep.dist is None:
        return "?", "?"
    metadata = ep.dist.metadata
    return metadata["Name"] or "?", metadata["Version"] or "?"


def _given(plugin: object) -> Callable[[], object]:
    """A loader for a plugin that is already in memory."""
    return lambda: plugin


def _register(
    registry: Registry, key: str, name: str, dist: str, version: str, load: Callable[[], object]
) -> None:
    """Import and register one plugin; any failure becomes a warning naming its distribution."""
    where = f"plugin {name!r} from {dist} {version}".rstrip()
    manager = registry.manager
    try:
        plugin = load()
    except BaseException as exc:  # a third party's bug must not stop us, whatever it raises
        if is_interrupt(exc):
            raise
        registry.warnings.append(f"{where} was skipped: it failed to import: {one_line(exc)}")
        return
    try:
        manager.register(plugin, name=key)
        callers = manager.get_hookcallers(plugin) or []
        unknown = [
            caller.name
            for caller in callers
            if caller.spec is None
            and not any(
                impl.plugin is plugin and impl.optionalhook for impl in caller.get_hookimpls()
            )
        ]
        hooks = tuple(sorted(c.name for c in callers if c.spec is not None))
    except BaseException as exc:  # pluggy asks the plugin's own attributes, which may raise
        if is_interrupt(exc):
            raise
        _take_back(manager, key)
        registry.warnings.append(f"{where} was skipped: it failed to register: {one_line(exc)}")
        return
    for hook in unknown:
        registry.warnings.append(
            f"{where} implements {hook}, which is not a routinegen hook "
            "(misspelt, or meant for a newer routinegen); it is ignored"
        )
    registry.plugins.append(PluginInfo(name, dist, version, hooks, key))


def _take_back(manager: pluggy.PluginManager, key: str) -> None:
    """Unregister a half-registered plugin, by its key (comparing the object could run its
    code), so that no hook of it is ever called."""
    try:
        if manager.has_plugin(key):
            manager.unregister(name=key)
    except BaseException as exc:  # pragma: no cover - unregistering by name runs no plugin code
        if is_interrupt(exc):
            raise


def _call_each(
    registry: Registry, hook: str, what: str, found: list[Any], **kwargs: Any
) -> Iterator[str]:
    """Call every implementation of ``hook`` on its own, so one that raises cannot hide the
    others; yield a plugin's key when its call succeeded, with what it registered in ``found``.
    What a failed call registered before raising is dropped with it."""
    for impl in getattr(registry.manager.hook, hook).get_hookimpls():
        found.clear()
        try:
            impl.function(*[kwargs[arg] for arg in impl.argnames])
        except BaseException as exc:  # KeyboardInterrupt and SystemExit from a hook included
            if is_interrupt(exc):
                raise
            registry.warnings.append(
                f"{registry.describe(impl.plugin_name)} failed to register {what}: "
                f"{one_line(exc)}; they are ignored"
            )
            continue
        yield impl.plugin_name


def _collect_exporters(registry: Registry) -> None:
    """Ask each plugin for its exporters; keep the valid ones, warn about the rest."""
    found: list[Exporter] = []
    for key in _call_each(
        registry, "routinegen_register_exporters", "exporters", found, register=found.append
    ):
        for registered in found:
            exporter, problem = check_exporter(registered)
            if exporter is not None:
                registry.exporters.setdefault(exporter.name, []).append((exporter, key))
                continue
            registry.warnings.append(
                f"{registry.describe(key)} registered an exporter that {problem}; ignored"
            )


def _exporter_problem(registered: object) -> str | None:
    """What is wrong with an exporter declaration, in words for its author; None if fine."""
    return check_exporter(registered)[1]


def _builtin_catalog_names() -> set[str]:
    """Names plugins may not take; listed without importing the YAML loader."""
    folder = resources.files("routinegen.catalogs")
    return {e.name.removesuffix(".yaml") for e in folder.iterdir() if e.name.endswith(".yaml")}


def _collect_catalogs(registry: Registry) -> None:
    """Ask each plugin for its catalogs; a name may not hide a built-in catalog."""
    found: list[tuple[Any, Any]] = []

    def register(name: str, source: hookspecs.CatalogSource) -> None:
        found.append((name, source))

    builtin: set[str] | None = None
    for key in _call_each(
        registry, "routinegen_register_catalogs", "catalogs", found, register=register
    ):
        for name, source in found:
            if builtin is None:
                builtin = _builtin_catalog_names()
            where = registry.describe(key)
            if type(name) is not str or not _NAME.match(name):
                registry.warnings.append(
                    f"{where} registered the catalog name {safe_repr(name)}; "
                    "use lowercase letters, digits, - and _; ignored"
                )
                continue
            if name in builtin:
                registry.warnings.append(
                    f"{where} registered a catalog {name!r}, the name of a built-in one; ignored"
                )
                continue
            try:  # the source is the plugin's object: any of its methods may raise anything
                entry = Path(source) if isinstance(source, str | os.PathLike) else source
                usable = isinstance(entry, Traversable) and entry.is_file() is True
            except BaseException as exc:
                if is_interrupt(exc):
                    raise
                usable = False
            if not usable:
                registry.warnings.append(
                    f"{where} registered the catalog {name!r} as {safe_repr(source)}, "
                    "which is not a readable file; ignored"
                )
                continue
            registry.catalogs.setdefault(name, []).append((entry, key))


def _collect_commands(registry: Registry) -> None:
    """Ask each plugin for its commands; keep the click commands with a plain name."""
    found: list[Any] = []
    for key in _call_each(
        registry, "routinegen_register_commands", "commands", found, register=found.append
    ):
        import click

        for command in found:
            where = registry.describe(key)
            name = getattr(command, "name", None) if isinstance(command, click.Command) else None
            if type(name) is not str or not _NAME.match(name):
                registry.warnings.append(
                    f"{where} registered {safe_repr(command)} as a command; a command is a "
                    "click.Command named with lowercase letters, digits, - and _; ignored"
                )
                continue
            registry.commands.setdefault(name, []).append((command, key))
