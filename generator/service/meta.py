"""What is installed and whether the service is up: ``/v1/exporters``, ``/v1/catalogs``,
``/healthz``. Open to everyone: they reveal no one's results."""

from __future__ import annotations

import asyncio
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

import routinegen
from routinegen.api import load_catalog
from routinegen.registry import Registry
from routinegen.service.state import service_of


class Health(BaseModel):
    status: str
    version: str
    workers: int
    capacity: int
    admitted: int


class OptionDoc(BaseModel):
    name: str
    type: str
    default: Any
    help: str


class ExporterDoc(BaseModel):
    name: str
    media_type: str
    extension: str
    description: str
    kinds: list[str]
    plugin: str
    options: list[OptionDoc]


class CatalogDoc(BaseModel):
    name: str
    title: str
    source: str  # "built-in" or the plugin that ships it
    exercises: int
    equipment: dict[str, str]
    muscles: dict[str, str]
    groups: dict[str, list[str]]


def exporter_docs(registry: Registry) -> list[ExporterDoc]:
    docs = []
    for name, claims in sorted(registry.exporters.items()):
        if len(claims) != 1:  # a doubly claimed name cannot be chosen: leave it out
            continue
        exporter, key = claims[0]
        docs.append(
            ExporterDoc(
                name=name,
                media_type=exporter.media_type,
                extension=exporter.extension,
                description=exporter.description,
                kinds=list(exporter.kinds),
                plugin=registry.describe(key),
                options=[
                    OptionDoc(name=f.name, type=f.type.__name__, default=f.default, help=f.help)
                    for f in exporter.options.fields()
                ],
            )
        )
    return docs


def catalog_names(registry: Registry) -> dict[str, str]:
    """Every catalog a body may name: the built-in ones and those plugins ship."""
    folder = resources.files("routinegen.catalogs")
    names = {
        entry.name.removesuffix(".yaml"): "built-in"
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    }
    for name, claims in registry.catalogs.items():
        if len(claims) == 1:
            names.setdefault(name, registry.describe(claims[0][1]))
    return dict(sorted(names.items()))


_loaded: dict[tuple[str, str], CatalogDoc] = {}


def _catalog_doc(registry: Registry, name: str, source: str) -> CatalogDoc:
    """A catalog's listing, loaded once per process (catalogs do not change while serving)."""
    if (name, source) in _loaded:
        return _loaded[name, source]
    catalog = load_catalog(name, registry=registry)
    _loaded[name, source] = CatalogDoc(
        name=name,
        title=catalog.title,
        source=source,
        exercises=len(catalog.exercises),
        equipment=dict(catalog.equipment),
        muscles=dict(catalog.muscles),
        groups={group: list(muscles) for group, muscles in catalog.groups.items()},
    )
    return _loaded[name, source]


def catalog_docs(registry: Registry) -> list[CatalogDoc]:
    return [_catalog_doc(registry, n, s) for n, s in catalog_names(registry).items()]


def router() -> APIRouter:
    api = APIRouter(tags=["meta"])

    @api.get("/healthz", summary="Health")
    async def health(request: Request) -> Health:
        """Up, with how busy the solvers are."""
        service = service_of(request)
        pool = service.pool
        return Health(
            status="ok",
            version=routinegen.__version__,
            workers=pool.workers,
            capacity=pool.capacity,
            admitted=pool.admitted,
        )

    @api.get("/v1/exporters", summary="Installed exporters")
    async def exporters(request: Request) -> list[ExporterDoc]:
        """Every format results can be fetched in: ``?format=`` name or Accept media type."""
        return exporter_docs(service_of(request).registry)

    @api.get("/v1/catalogs", summary="Installed catalogs")
    async def catalogs(request: Request) -> list[CatalogDoc]:
        """Every catalog a request may name, with its equipment and muscle vocabulary."""
        return await asyncio.to_thread(catalog_docs, service_of(request).registry)

    return api
