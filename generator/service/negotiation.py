"""Which exporter answers: ``?format=`` by name, else the ``Accept`` header by media type.

Every installed exporter plugin takes part, by the media type it declares, so a plugin's
format is served without any change here. It is decided before solving, as the CLI decides
``--format``: a format nobody can serve costs no solver time (406).
"""

from __future__ import annotations

from dataclasses import dataclass

from routinegen.exporter import Exporter, Options, RenderContext, Result
from routinegen.output.render import RenderError, render
from routinegen.registry import Registry
from routinegen.service.problems import ProblemError

DEFAULT = "json"  # what a client that states no preference (or */*) gets


@dataclass(frozen=True)
class Choice:
    """The exporter picked, the plugin it comes from and its default options."""

    exporter: Exporter
    where: str
    options: Options

    @property
    def content_type(self) -> str:
        media = self.exporter.media_type
        return f"{media}; charset=utf-8" if media.startswith("text/") else media

    def filename(self, stem: str) -> str:
        return f"{stem}.{self.exporter.extension}"

    def render(self, result: Result, context: RenderContext) -> bytes:
        try:
            return render(self.exporter, result, self.options, context, where=self.where)
        except RenderError as exc:  # e.g. a plugin that cannot render this result
            raise ProblemError(500, str(exc), kind="render-failed") from None


def _accepted(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header, best first (RFC 9110 12.5.1)."""
    ranges: list[tuple[str, float, int]] = []
    for index, part in enumerate(header.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality, index))
    ranges.sort(key=lambda r: (-r[1], r[0].count("*"), r[2]))
    return [(media, quality) for media, quality, _ in ranges]


def _matches(media_range: str, media_type: str) -> bool:
    if media_range in ("*/*", "*"):
        return True
    kind, _, sub = media_range.partition("/")
    own_kind, _, own_sub = media_type.lower().partition("/")
    return kind == own_kind and sub in ("*", own_sub)


def choose(registry: Registry, kind: str, fmt: str | None, accept: str | None) -> Choice:
    """The exporter for a ``kind`` of result; 406 when none fits what the client takes."""
    usable = {
        name: claims[0][0]
        for name, claims in sorted(registry.exporters.items())
        if len(claims) == 1 and kind in claims[0][0].kinds
    }
    if fmt is not None:
        if fmt not in usable:
            known = ", ".join(usable) or "none"
            raise ProblemError(
                406,
                f"no exporter named {fmt!r} renders {kind}s; formats: {known}",
                kind="not-acceptable",
                formats=list(usable),
            )
        return _choice(registry, usable[fmt])
    if not accept or not accept.strip():
        return _choice(registry, usable[DEFAULT])
    for media_range, quality in _accepted(accept):
        if quality <= 0:
            continue
        wildcard = media_range in ("*/*", "*", "application/*")
        if wildcard and DEFAULT in usable and _matches(media_range, usable[DEFAULT].media_type):
            return _choice(registry, usable[DEFAULT])
        for exporter in usable.values():
            if _matches(media_range, exporter.media_type):
                return _choice(registry, exporter)
    types = sorted({e.media_type for e in usable.values()})
    raise ProblemError(
        406,
        f"no exporter renders {kind}s as {accept!r}; media types: {', '.join(types)}",
        kind="not-acceptable",
        media_types=types,
    )


def _choice(registry: Registry, exporter: Exporter) -> Choice:
    where = registry.describe(registry.owner(exporter.name))
    return Choice(exporter, where, exporter.default_options())
