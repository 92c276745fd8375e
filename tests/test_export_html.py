"""The html card, judged by a real browser: headless Chromium prints it to PDF, and the PDF's
page count (pypdf) and text (pdftotext) must be one session a page, with the routine on it.

The browser tests skip only where Chromium or pdftotext is not installed; CI installs both
(.ci/run), so they run there.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers.render import render_with
from helpers.results import (
    make_coached_plan,
    make_coached_routine,
    make_interval_routine,
    make_plan,
    make_routine,
)
from pypdf import PdfReader

from routinegen.exporter import OptionError, RenderContext
from routinegen.output.render import RenderError, render
from routinegen.plugins import html as html_plugin
from routinegen.results import Routine, RoutineItem

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
browser = pytest.mark.skipif(
    CHROMIUM is None or PDFTOTEXT is None,
    reason="needs chromium and pdftotext (apt-get install chromium poppler-utils)",
)
# Page sizes in PostScript points.
A4, LETTER = (595, 842), (612, 792)


def print_pdf(html: str, folder: Path) -> Path:
    """``html`` printed by headless Chromium, as a browser's print dialog would."""
    page = folder / "card.html"
    page.write_text(html, encoding="utf-8")
    pdf = folder / "card.pdf"
    assert CHROMIUM is not None
    run = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0 and pdf.exists(), run.stderr[-2000:]
    return pdf


def page_text(pdf: Path, page: int) -> str:
    assert PDFTOTEXT is not None
    run = subprocess.run(
        [PDFTOTEXT, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return " ".join(run.stdout.split())


def page_size(pdf: Path) -> tuple[int, int]:
    box = PdfReader(pdf).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def long_routine() -> Routine:
    """Ten exercises with long names, half of them a side at a time: a full card."""
    base = make_routine()
    items = tuple(
        RoutineItem(
            id=f"move_{n}",
            name=f"Exercise number {n} with a rather long descriptive name",
            equipment="kettlebell+bench" if n % 2 else "none",
            reps=12 if n % 3 else None,
            work_seconds=None if n % 3 else 40,
            dose="reps" if n % 3 else "hold",
            per_side=bool(n % 2),
            seconds=60,
            primary=("lats",),
            secondary=("biceps",),
        )
        for n in range(1, 11)
    )
    return dataclasses.replace(base, items=items, rounds=4)


class Tags(HTMLParser):
    """The tags and attributes of a page, to check it stands alone."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_the_card_is_self_contained_with_the_map_inline() -> None:
    html = str(render_with(html_plugin, make_routine()))
    found = tags(html)
    names = [tag for tag, _ in found]
    assert "script" not in names and "link" not in names and "img" not in names
    assert not any(
        (attrs.get("src") or attrs.get("href") or "").startswith(("http", "//"))
        for _, attrs in found
    )
    assert names.count("svg") == 1
    assert "Deadlift" in html and "10 reps a side" in html and "30 s hold" in html


def test_text_from_the_routine_is_escaped() -> None:
    routine = make_routine()
    item = dataclasses.replace(routine.items[0], name="<b>Press & Hold</b>")
    html = str(render_with(html_plugin, dataclasses.replace(routine, items=(item,))))
    assert "<b>Press" not in html and "&lt;b&gt;Press &amp; Hold&lt;/b&gt;" in html


def test_each_session_map_has_its_own_ids() -> None:
    html = str(render_with(html_plugin, make_plan()))
    ids = [attrs["id"] for _, attrs in tags(html) if attrs.get("id")]
    assert len(ids) == len(set(ids))
    assert [tag for tag, _ in tags(html)].count("svg") == 3


def test_the_map_can_be_left_out_and_paper_must_be_known() -> None:
    html = str(render_with(html_plugin, make_routine(), map=False))
    assert "<svg" not in html
    with pytest.raises(OptionError, match="paper must be a4 or letter"):
        html_plugin.EXPORTER.parse_options({"paper": "a3"})


def test_the_same_result_gives_the_same_bytes() -> None:
    assert render_with(html_plugin, make_plan()) == render_with(html_plugin, make_plan())


def test_without_jinja2_rendering_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    exporter = html_plugin.EXPORTER
    with pytest.raises(RenderError, match=r"pip install 'routinegen\[html\]'"):
        render(exporter, make_routine(), exporter.default_options(), RenderContext.now(), where="t")


@browser
@pytest.mark.slow
@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_a_full_routine_prints_on_one_page(tmp_path: Path, paper: str, size: Any) -> None:
    pdf = print_pdf(str(render_with(html_plugin, long_routine(), paper=paper)), tmp_path)
    assert len(PdfReader(pdf).pages) == 1
    assert page_size(pdf) == size
    text = page_text(pdf, 1)
    assert "Back routine (15 min)" in text
    assert text.count("Exercise number") == 10 and "Exercise number 10" in text
    assert "Rest 15 s between exercises, 60 s between rounds." in text
    assert "Total time: 14:15" in text
    assert "Shade: share of the most-worked muscle" in text  # the map's own text


@browser
@pytest.mark.slow
def test_a_plan_prints_a_glance_page_then_a_page_a_session(tmp_path: Path) -> None:
    plan = make_plan()
    pdf = print_pdf(str(render_with(html_plugin, plan)), tmp_path)
    assert len(PdfReader(pdf).pages) == 1 + len(plan.sessions)
    glance = page_text(pdf, 1)
    assert "Back plan (2 weeks, 3 sessions)" in glance and "Split: upper-lower" in glance
    expected = [
        ("Fri 23 Oct 2026, 07:00 — upper", "Upper routine (20 min), week 1 of 2", "Single-Arm Row"),
        (
            "Mon 26 Oct 2026, 07:00 — lower",
            "Lower routine (15 min), week 1 of 2",
            "Hip Bridge Hold",
        ),
        ("Fri 30 Oct 2026, 07:00 — upper", "Upper routine (20 min), week 2 of 2", "Single-Arm Row"),
    ]
    for page, (when, heading, exercise) in enumerate(expected, start=2):
        text = page_text(pdf, page)
        assert when in text and heading in text and exercise in text, text
    assert "Single-Arm Row" not in page_text(pdf, 3)  # the lower session has no row


@browser
@pytest.mark.slow
def test_make_writes_a_card_for_the_html_extension(tmp_path: Path) -> None:
    out = tmp_path / "back.html"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "routinegen",
            "make",
            "-m",
            "15",
            "-e",
            "kettlebell",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    pdf = print_pdf(out.read_text(encoding="utf-8"), tmp_path)
    assert len(PdfReader(pdf).pages) == 1
    text = page_text(pdf, 1)
    assert "Back routine (15 min)" in text and "Total time:" in text


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["exporters"]], ids=" ".join)
def test_light_commands_do_not_import_the_exporters_libraries(args: list[str]) -> None:
    """The three exporters register without their libraries: listing them stays cheap."""
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['routinegen', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('routinegen', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('drawsvg', 'garmin_fit_sdk', 'jinja2', 'cairosvg', 'markupsafe', 'weasyprint')\n"
        "print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in heavy),"
        " file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert "HEAVY []" in run.stderr, run.stderr[-2000:]
    if args == ["exporters"]:
        assert {"svg", "fit", "html", "pdf"} <= {
            line.split()[0] for line in run.stdout.splitlines()
        }


# --- pdf: the same card typeset by WeasyPrint ---------------------------------------------


def pdf_of(result: Any, folder: Path, **options: Any) -> Path:
    from routinegen.plugins import pdf as pdf_plugin

    data = render_with(pdf_plugin, result, **options)
    assert isinstance(data, bytes) and data.startswith(b"%PDF-")
    path = folder / "card.pdf"
    path.write_bytes(data)
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_the_pdf_card_is_one_page_a_session(tmp_path: Path, paper: str, size: Any) -> None:
    pdf = pdf_of(long_routine(), tmp_path, paper=paper)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1 and page_size(pdf) == size
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Back routine (15 min)" in text and "Total time: 14:15" in text
    assert text.count("Exercise number") == 10
    plan = make_plan()
    assert len(PdfReader(pdf_of(plan, tmp_path)).pages) == 1 + len(plan.sessions)


@pytest.mark.slow
def test_the_pdf_is_the_same_bytes_for_the_same_result(tmp_path: Path) -> None:
    first = pdf_of(make_routine(), tmp_path).read_bytes()
    assert pdf_of(make_routine(), tmp_path).read_bytes() == first


def test_without_weasyprint_the_pdf_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from routinegen.plugins import pdf as pdf_plugin

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    exporter = pdf_plugin.EXPORTER
    with pytest.raises(RenderError, match=r"pip install 'routinegen\[pdf\]'"):
        render(exporter, make_routine(), exporter.default_options(), RenderContext.now(), where="t")


class Blocks(HTMLParser):
    """The card as a reader sees it: each block's heading and its rows' cells, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.rows: list[list[str]] = []  # per row: the text of each cell
        self.boxes: list[int] = []  # per row: its tick boxes
        self.paragraphs: list[str] = []
        self._where: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h3", "p", "td"):
            self._where, self._text = tag, ""
        if tag == "tr":
            self.rows.append([])
            self.boxes.append(0)
        if tag == "br":
            self._text += " | "
        if tag == "span" and ("class", "box") in attrs:
            self.boxes[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        text = " ".join(self._text.split())
        if tag == "h3":
            self.headings.append(text)
        elif tag == "p":
            self.paragraphs.append(text)
        elif tag == "td":
            self.rows[-1].append(text)
        if tag in ("h3", "p", "td"):
            self._where = None

    def handle_data(self, data: str) -> None:
        if self._where:
            self._text += data


def blocks_of(html: str) -> Blocks:
    parser = Blocks()
    parser.feed(html)
    return parser


def test_the_card_shows_the_blocks_and_the_prescription() -> None:
    card = blocks_of(str(render_with(html_plugin, make_coached_routine(), map=False)))
    assert card.headings == [
        "Warm-up, 2 min 20 s",
        "Main block: straight sets, 32 min",
        "Cool-down, 2 min 5 s",
    ]
    rows = [(row, boxes) for row, boxes in zip(card.rows, card.boxes, strict=True) if row]
    cells = [row for row, _ in rows]
    assert [c[1].split(" | ")[0] for c in cells] == [
        "Jumping Jack",
        "Hip Hinge Drill",
        "Cat-Cow",
        "Back Squat",
        "Romanian Deadlift",
        "Single-Arm Dumbbell Row",
        "Plank",
        "Hamstring Stretch",
        "Easy Walk",
    ]
    squat = cells[3]
    assert squat[1] == (
        "Back Squat | rest 3 min between sets · RIR 2-3 · a weight you could lift about 8 "
        "times | brace before you descend; knees over toes"
    )
    assert squat[2] == "4 x 5 reps | barbell + squat_rack"
    assert cells[0][2] == "60 s" and cells[6][2] == "2 x 40 s hold"
    assert cells[7][1:3] == [
        "Hamstring Stretch | right side, then left | 5 s to switch sides",
        "30 s hold a side",
    ]
    assert [boxes for _, boxes in rows] == [1, 1, 1, 4, 3, 3, 2, 1, 1]  # a box a set
    assert "Avoids: spinal flexion, impact" in card.paragraphs
    assert "Patterns not covered: push: no push fits the time left" in card.paragraphs
    assert any(p.startswith("Hard sets: Quadriceps: 4 hard sets;") for p in card.paragraphs)
    assert any(p.startswith("Proven near-optimal") for p in card.paragraphs)


def test_an_interval_card_says_timed_work_not_holds() -> None:
    html = str(render_with(html_plugin, make_interval_routine(), map=False))
    card = blocks_of(html)
    assert card.headings == ["Main block: intervals 40 s on / 20 s off, 3 rounds, 10 min"]
    doses = [row[2] for row in card.rows if row]
    assert doses == ["40 s", "40 s", "40 s"] and "hold" not in html
    assert [b for row, b in zip(card.rows, card.boxes, strict=True) if row] == [3, 3, 3]


def test_a_plan_session_card_has_its_blocks() -> None:
    html = str(render_with(html_plugin, make_coached_plan(), map=False))
    headings = blocks_of(html).headings
    assert headings[:3] == [
        "Warm-up, 2 min 20 s",
        "Main block: straight sets, 32 min",
        "Cool-down, 2 min 5 s",
    ]
    assert len(headings) == 3  # the other sessions are circuits alone


@pytest.mark.slow
def test_the_coached_pdf_card_is_one_page_with_every_block(tmp_path: Path) -> None:
    reader = PdfReader(pdf_of(make_coached_routine(), tmp_path))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for phrase in (
        "Warm-up, 2 min 20 s",
        "Main block: straight sets, 32 min",
        "Cool-down, 2 min 5 s",
        "4 x 5 reps",
        "2 x 40 s hold",
        "Avoids: spinal flexion, impact",
    ):
        assert phrase in text, phrase
