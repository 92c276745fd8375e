"""Loading plugins: the built-in ones and third parties' alike, through one entry-point group.

A plugin that fails to import or register is skipped and reported, never fatal: one broken
package must not take the tool down. Inside the project's own test runs only the built-in
plugins load, unless ``ROUTINEGEN_LOAD_PLUGINS`` says otherwise.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points

import pluggy

from routinegen import hookspecs
from routinegen.errors import InputError
from routinegen.exporter import Exporter

GROUP = "routinegen"
BUILTIN_DIST = "routinegen"
LOAD_ENV = "ROUTINEGEN_LOAD_PLUGINS"


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its entry-point name, distribution, version and hooks."""

    name: str
    distribution: str
    version: str
    hooks: tuple[str, ...]


@dataclass
class Registry:
    """The plugin manager and what the plugins registered."""

    manager: pluggy.PluginManager
    plugins: list[PluginInfo] = field(default_factory=list)
    exporters: dict[str, list[tuple[Exporter, str]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def exporter(self, name: str) -> Exporter:
        """The exporter for ``--format name``; an unknown or doubly claimed name is an error."""
        claims = self.exporters.get(name, [])
        if not claims:
            known = ", ".join(sorted(self.exporters)) or "none"
            raise InputError(f"unknown format {name!r}; installed exporters: {known}")
        if len(claims) > 1:
            owners = " and ".join(sorted(plugin for _, plugin in claims))
            raise InputError(
                f"format {name!r} is claimed by both {owners}; "
                f"uninstall one, or limit plugins with {LOAD_ENV}"
            )
        return claims[0][0]

    def by_extension(self, extension: str) -> str | None:
        """The format whose file extension is ``extension``, if exactly one claims it."""
        names = sorted(
            {
                e.name
                for claims in self.exporters.values()
                for e, _ in claims
                if e.extension == extension
            }
        )
        return names[0] if len(names) == 1 else None


def _wanted() -> set[str] | None:
    """Third-party distributions to load: None means all of them."""
    value = os.environ.get(LOAD_ENV)
    if value is None:
        return set() if "pytest" in sys.modules else None
    return {name.strip() for name in value.split(",") if name.strip()}


def load_registry(extra: list[tuple[str, object]] | None = None) -> Registry:
    """Load every wanted plugin, then collect the exporters they register."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager)
    wanted = _wanted()
    for ep in sorted(
        entry_points(group=GROUP), key=lambda e: (e.dist.name if e.dist else "", e.name)
    ):
        dist = ep.dist.name if ep.dist else "?"
        if dist != BUILTIN_DIST and wanted is not None and dist not in wanted:
            continue
        version = ep.dist.version if ep.dist else "?"
        try:
            plugin = ep.load()
            manager.register(plugin, name=f"{dist}:{ep.name}")
        except Exception as exc:  # a third party's bug must not stop us
            registry.warnings.append(
                f"plugin {ep.name!r} from {dist} {version} was skipped: {type(exc).__name__}: {exc}"
            )
            continue
        registry.plugins.append(PluginInfo(ep.name, dist, version, _hooks(manager, plugin)))
    for name, plugin in extra or []:
        manager.register(plugin, name=name)
        registry.plugins.append(PluginInfo(name, "(in-process)", "", _hooks(manager, plugin)))
    _collect_exporters(registry)
    return registry


def _hooks(manager: pluggy.PluginManager, plugin: object) -> tuple[str, ...]:
    return tuple(sorted(h.name for h in manager.get_hookcallers(plugin) or []))


def _collect_exporters(registry: Registry) -> None:
    """Call each plugin's hook on its own, so one that raises cannot hide the others."""
    for impl in registry.manager.hook.routinegen_register_exporters.get_hookimpls():
        plugin_name = impl.plugin_name
        found: list[Exporter] = []
        try:
            impl.function(register=found.append)
        except Exception as exc:
            registry.warnings.append(
                f"plugin {plugin_name!r} failed to register exporters: {type(exc).__name__}: {exc}"
            )
            continue
        for exporter in found:
            if not isinstance(exporter, Exporter):
                registry.warnings.append(
                    f"plugin {plugin_name!r} registered {exporter!r}, not an Exporter; ignored"
                )
                continue
            registry.exporters.setdefault(exporter.name, []).append((exporter, plugin_name))
