"""The ``pdf`` exporter: the html card typeset by WeasyPrint, for printing without a browser.

The same page as ``html`` (its template, options and print CSS), laid out by WeasyPrint, so
a card prints the same from a script or a server. ``pip install 'routinegen[pdf]'`` adds
WeasyPrint, imported inside ``render``. The PDF has no creation date, so the same result
gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from routinegen.exporter import Exporter, RenderContext, Result
from routinegen.hookspecs import hookimpl
from routinegen.plugins import html
from routinegen.plugins._extras import missing


def render(result: Result, options: html.HtmlOptions, context: RenderContext) -> bytes:
    """The html card's text, typeset."""
    try:
        import weasyprint
    except ImportError:
        raise missing("pdf", "weasyprint", "pdf") from None
    page = html.render(result, options, context)
    data: bytes = weasyprint.HTML(string=page).write_pdf()
    return data


EXPORTER = Exporter(
    name="pdf",
    extension="pdf",
    media_type="application/pdf",
    render=render,
    description="The printable card as a PDF, typeset by WeasyPrint: a page a session "
    "(needs routinegen[pdf]).",
    options=html.HtmlOptions,
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the PDF card to routinegen."""
    register(EXPORTER)
