"""The leaderboard: meta.yaml validation, ranking, and the JSON, Markdown and HTML renderers (HTML in a real
headless Chromium)."""

from __future__ import annotations

import json
import math
import os
import re
import sys
from pathlib import Path

import pytest
from khabar.benchmarks.board import (
    board_groups,
    rank_groups,
    read_meta,
    render_html,
    render_json,
    render_markdown,
)
from khabar.benchmarks.board_html import SORTER_JS, script_hash
from khabar.benchmarks.board_markdown import md_escape
from khabar.benchmarks.board_model import Board, BoardEntry, Metric, SubmissionMeta, TaskResult

from khabar.errors import InputError

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
SIG_A = "khabar:0.1.0|data:0.0.1+5ca98cec95a5|split:test|task:entities|scheme:strict|boot:1000|seed:12345"
SIG_B = "khabar:0.2.0|data:0.0.2+0123456789ab|split:test|task:entities|scheme:strict|boot:1000|seed:12345"
LINE = re.compile(r"^\S+:\d+: [^:\s]+: .+$")  # file:line: field: problem


# --- builders -------------------------------------------------------------------------------------------------

def meta(name: str, *, url: str | None = None, trained: bool = False) -> SubmissionMeta:
    return SubmissionMeta(name=name, authors="A. Author, B. Author", url=url, description=f"about {name}",
                          date="2025-01-31", trained_on_train=trained)


def result(f1: float, precision: float = 0.5, *, task: str = "entities", sig: str = SIG_A,
           per_type: tuple[tuple[str, float], ...] = ()) -> TaskResult:
    metrics = (Metric("f1", f1, f1 - 0.05, f1 + 0.05), Metric("precision", precision, precision - 0.1,
                                                               precision + 0.1))
    return TaskResult(task, sig, metrics, per_type)


def entry(system: str, *results: TaskResult, name: str | None = None, split: str = "test",
          url: str | None = None, trained: bool = False) -> BoardEntry:
    return BoardEntry(system, meta(name or system, url=url, trained=trained), split, tuple(results))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "meta.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
name: CAMeL-BERT fine-tuned
authors: Jane Doe, John Roe
url: https://example.org/system
description: A BERT tagger.
date: 2025-01-31
trained_on_train: true
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as exc:
        read_meta(write(tmp_path, text))
    lines = exc.value.lines()
    for line in lines:
        assert LINE.match(line), line
        assert "\n" not in line
    return lines


# --- meta.yaml ------------------------------------------------------------------------------------------------

def test_read_meta_accepts_a_good_file(tmp_path):
    m = read_meta(write(tmp_path, GOOD))
    assert m == SubmissionMeta("CAMeL-BERT fine-tuned", "Jane Doe, John Roe", "https://example.org/system",
                               "A BERT tagger.", "2025-01-31", True)


def test_read_meta_accepts_quoted_date_null_url_and_author_list(tmp_path):
    text = GOOD.replace("date: 2025-01-31", 'date: "2025-01-31"').replace(
        "url: https://example.org/system", "url: null").replace(
        "authors: Jane Doe, John Roe", "authors:\n  - Jane Doe\n  - John Roe")
    m = read_meta(write(tmp_path, text))
    assert (m.date, m.url, m.authors) == ("2025-01-31", None, "Jane Doe, John Roe")
    m = read_meta(write(tmp_path, GOOD.replace("url: https://example.org/system\n", "")))
    assert m.url is None


def test_read_meta_malformed_yaml_points_at_the_line(tmp_path):
    path = write(tmp_path, "name: x\nauthors: [unclosed\ndescription: d\n")
    with pytest.raises(InputError) as exc:
        read_meta(path)
    [line] = exc.value.lines()
    assert LINE.match(line)
    file, lineno, field, _ = line.split(":", 3)
    assert file == str(path) and field == " yaml" and int(lineno) >= 2


def test_read_meta_not_a_mapping(tmp_path):
    assert problems(tmp_path, "- just\n- a list\n") == [f"{tmp_path / 'meta.yaml'}:1: meta: expected a mapping "
                                                        "of keys to values"]
    assert problems(tmp_path, "")[0].endswith(":1: meta: expected a mapping of keys to values")


def test_read_meta_missing_key_is_reported_at_line_1(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("description: A BERT tagger.\n", ""))
    assert line == f"{tmp_path / 'meta.yaml'}:1: description: missing required key"


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "31/01/2025", "2025-1-31", "20250131",
                                   "2025-01-31 10:00:00", "[2025]"])
def test_read_meta_bad_date(tmp_path, value):
    [line] = problems(tmp_path, GOOD.replace("date: 2025-01-31", f"date: {value}"))
    assert line.startswith(f"{tmp_path / 'meta.yaml'}:5: date: ")


@pytest.mark.parametrize("value", ["javascript:alert(1)", "ftp://example.org/x", "example.org", "https://",
                                   "'https://exa mple.org'", "42", "[https://example.org]"])
def test_read_meta_bad_url(tmp_path, value):
    [line] = problems(tmp_path, GOOD.replace("url: https://example.org/system", f"url: {value}"))
    assert line.startswith(f"{tmp_path / 'meta.yaml'}:3: url: ")


def test_read_meta_unknown_and_duplicate_keys(tmp_path):
    lines = problems(tmp_path, GOOD + "homepage: https://example.org\nname: again\n")
    assert lines == [f"{tmp_path / 'meta.yaml'}:7: homepage: unknown key (allowed: name, authors, description, "
                     "date, trained_on_train, url)",
                     f"{tmp_path / 'meta.yaml'}:8: name: duplicate key (first at line 1)"]


def test_read_meta_wrong_types_are_all_reported(tmp_path):
    text = GOOD.replace("trained_on_train: true", "trained_on_train: maybe").replace(
        "name: CAMeL-BERT fine-tuned", "name: 12").replace("description: A BERT tagger.", "description: ''")
    lines = problems(tmp_path, text)
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in lines] == ["1", "4", "6"]
    assert "name: expected a string, got int" in lines[0]
    assert "description: must not be empty" in lines[1]
    assert "trained_on_train: expected true or false, got str" in lines[2]


def test_read_meta_unreadable_file(tmp_path):
    (tmp_path / "meta.yaml").write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(InputError) as exc:
        read_meta(tmp_path / "meta.yaml")
    [line] = exc.value.lines()
    assert line.startswith(f"{tmp_path / 'meta.yaml'}:1: file: cannot read")


# --- ranking --------------------------------------------------------------------------------------------------

def test_ties_share_a_rank_competition_style():
    board = Board("d", (entry("b", result(0.8)), entry("c", result(0.7)), entry("a", result(0.8)),
                        entry("d", result(0.6))))
    [group] = rank_groups(board, "entities", "f1")
    assert [(r.rank, r.entry.system) for r in group.rows] == [(1, "a"), (1, "b"), (3, "c"), (4, "d")]


def test_signatures_and_splits_are_never_ranked_together():
    board = Board("d", (entry("old", result(0.99, sig=SIG_B)), entry("x", result(0.5)), entry("y", result(0.6)),
                        entry("v", result(0.9), split="validation")))
    groups = rank_groups(board, "entities", "f1")
    assert [(g.split, g.signature, [(r.rank, r.entry.system) for r in g.rows]) for g in groups] == [
        ("test", SIG_A, [(1, "y"), (2, "x")]),
        ("test", SIG_B, [(1, "old")]),
        ("validation", SIG_A, [(1, "v")]),
    ]
    for g in groups:
        assert {r.result.signature for r in g.rows} == {g.signature}


def test_rank_by_another_metric_and_other_tasks_ignored():
    board = Board("d", (entry("x", result(0.9, 0.1), result(0.1, task="numbers")), entry("y", result(0.5, 0.8))))
    [group] = rank_groups(board, "entities", "precision")
    assert [r.entry.system for r in group.rows] == ["y", "x"]
    [numbers] = rank_groups(board, "numbers", "f1")
    assert [r.entry.system for r in numbers.rows] == ["x"]


def test_missing_or_nan_metric_is_unranked_and_last():
    board = Board("d", (entry("nan", result(math.nan)), entry("ok", result(0.1)),
                        entry("none", TaskResult("entities", SIG_A, (Metric("recall", 1, 1, 1),)))))
    [group] = rank_groups(board, "entities", "f1")
    assert [(r.rank, r.entry.system) for r in group.rows] == [(1, "ok"), (None, "nan"), (None, "none")]


def test_a_system_twice_in_a_group_is_refused():
    board = Board("d", (entry("x", result(0.9)), entry("x", result(0.8))))
    with pytest.raises(ValueError, match="more than once"):
        rank_groups(board, "entities", "f1")


def test_headline_metric_per_task():
    stance = TaskResult("stance", "s", (Metric("f_avg", 0.9, 0.8, 1), Metric("f1", 0.5, 0.4, 0.6)))
    numbers = TaskResult("numbers", "n", (Metric("value_accuracy", 0.9, 0.8, 1), Metric("strict_f1", 0.5, 0.4, 1)))
    board = Board("d", (entry("x", stance, numbers, result(0.9)),))
    assert [(g.task, g.metric) for g in board_groups(board)] == [
        ("entities", "f1"), ("numbers", "value_accuracy"), ("stance", "f1")]  # no combined_f1: first shared


def test_headline_metrics_agree_with_the_scorers():
    from khabar.benchmarks import evaluate
    from khabar.benchmarks.board_rank import HEADLINE

    assert evaluate.HEADLINE == HEADLINE


# --- Markdown -------------------------------------------------------------------------------------------------

def test_md_escape_neutralises_markup():
    assert md_escape("a|b<c>*d*_e_`f`[g](h)") == r"a\|b\<c\>\*d\*\_e\_\`f\`\[g\](h)"
    assert md_escape("line\nbreak\r\nx") == "line break x"
    assert md_escape(r"back\slash &lt;") == r"back\\slash \&lt;"


def _cells(row: str) -> list[str]:
    # Split a table row on unescaped pipes only.
    return re.split(r"(?<!\\)\|", row.strip())[1:-1]


def test_markdown_tables_survive_hostile_names():
    hostile = "pipe | name `code` *bold* _it_ [link](http://x) <b>"
    board = Board("0.0.1+abc", (entry("sys_1", result(0.81234), name=hostile), entry("evil", result(0.5),
                                                                                     name=EVIL),
                                entry("old", result(0.9, sig=SIG_B))))
    md = render_markdown(board)
    # Every "<", "|" and other markup character a submitter wrote is backslash-escaped.
    assert re.search(r"(?<!\\)<", md) is None
    assert r"\<script\>window.\_\_pwned=1\</script\>" in md
    tables = [block for block in md.split("\n\n") if block.startswith("|")]
    for table in tables:
        rows = table.splitlines()
        assert len({len(_cells(r)) for r in rows}) == 1, table
    ranked = next(t for t in tables if "0.812" in t).splitlines()
    assert _cells(ranked[0]) == [" rank ", " system ", " f1 ", " precision ", " trained on train "]
    assert _cells(ranked[2])[0].strip() == "1"
    assert "0.812 [0.762, 0.862]" in ranked[2]
    # The signature is printed under each table, one table per signature.
    assert md.count(f"Signature: `{SIG_A}`") == 1 and md.count(f"Signature: `{SIG_B}`") == 1
    assert md.index("0.812") < md.index(f"Signature: `{SIG_A}`") < md.index(f"Signature: `{SIG_B}`")


def test_markdown_links_only_web_urls():
    board = Board("d", (entry("a", result(0.5), url="https://example.org/a|b?x=1&y=2"),
                        entry("b", result(0.4), url="javascript:alert(1)")))
    md = render_markdown(board)
    assert "| <https://example.org/a%7Cb?x=1&y=2> |" in md
    assert "javascript" not in md


def test_markdown_renders_to_literal_text():
    markdown_it = pytest.importorskip("markdown_it")
    board = Board("d", (entry("evil", result(0.5), name=EVIL), entry("pipe", result(0.4), name="a | b")))
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(render_markdown(board))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<td>a | b (pipe)</td>" in html


# --- JSON -----------------------------------------------------------------------------------------------------

def test_json_is_deterministic_and_holds_ranks():
    entries = (entry("b", result(0.8)), entry("a", result(0.8), name="نظام"), entry("c", result(0.7)),
               entry("old", result(math.nan, sig=SIG_B)))
    text = render_json(Board("d", entries))
    assert text == render_json(Board("d", tuple(reversed(entries))))
    assert "نظام" in text and text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert [e["system"] for e in data["entries"]] == ["a", "b", "c", "old"]
    assert [(r["system"], r["rank"]) for r in data["rankings"][0]["rows"]] == [("a", 1), ("b", 1), ("c", 3)]
    assert data["rankings"][1]["signature"] == SIG_B
    old = data["entries"][3]["results"][0]
    assert old["rank"] is None and old["metrics"][0]["value"] is None  # NaN is not JSON
    assert data["entries"][0]["results"][0]["rank"] == 1 and data["entries"][0]["results"][0]["ranked_by"] == "f1"


# --- HTML without a browser -----------------------------------------------------------------------------------

def _board() -> Board:
    per_type = lambda *v: tuple(zip(("PER", "ORG", "GPE", "LOC"), v, strict=True))  # noqa: E731
    return Board("0.0.1+5ca98cec95a5", (
        entry("alpha", result(0.70, 0.90, per_type=per_type(0.8, 0.6, 0.9, 0.4)), name="Alpha tagger",
              url="https://example.org/alpha?x=1&y=2"),
        entry("evil-folder", result(0.85, 0.50, per_type=per_type(0.9, 0.8, 0.7, 0.95)), name=EVIL,
              url='javascript:alert("x")', trained=True),
        entry("gamma", result(0.60, 0.70, per_type=per_type(0.5, 0.7, 0.6, 0.2)), name="غاما (Arabic name)"),
        entry("delta-old", result(0.95, 0.95, sig=SIG_B), name="Delta on an older release"),
    ))


def test_html_is_self_contained_escaped_and_pinned_by_csp():
    page = render_html(_board())
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<meta charset="utf-8">' in page
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert scripts == [SORTER_JS]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert f"script-src {script_hash(SORTER_JS)};" in csp.replace("&#x27;", "'")
    assert "default-src &#x27;none&#x27;" in csp and "img-src data:" in csp
    # Nothing is fetched: no src attributes, no stylesheets, no external URLs except the submitted link.
    assert " src=" not in page.replace("src=x", "")
    assert "<link rel=\"stylesheet\"" not in page and "@import" not in page and "url(" not in page
    assert re.findall(r'href="([^"]+)"', page) == ["data:,", "https://example.org/alpha?x=1&amp;y=2",
                                                    "https://example.org/alpha?x=1&amp;y=2"]
    assert page.count('rel="noopener noreferrer"') == 2
    assert "javascript:" not in page.replace('javascript:alert(&quot;x&quot;)', "")
    assert "<img" not in page and "<script>window" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" \
        in page


def test_html_chart_is_inline_svg_with_escaped_text():
    page = render_html(_board())
    svg = re.search(r"<svg.*?</svg>", page, flags=re.S).group(0)
    assert svg.count("<rect") == 3 * 4 + 3  # a bar per system per type, and a legend swatch per system
    assert "&lt;script&gt;" in svg and "<script" not in svg
    assert "0.950" in svg and ">LOC<" in svg


# --- HTML in a real browser -----------------------------------------------------------------------------------

def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


def _browser_or_skip():
    """Playwright's sync API, or a skip outside CI (a missing browser in CI must fail, not pass quietly)."""
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail(f"{CHROMIUM} is missing under CI: run scripts/install-browser.sh first")
        pytest.skip(f"{CHROMIUM} is missing (run scripts/install-browser.sh); set CI=1 to make this a failure")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if _in_ci():
            pytest.fail("playwright is not installed under CI: pip install -e '.[dev]'")
        pytest.skip("playwright is not installed: pip install -e '.[dev]'")
    return sync_playwright


LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


def _rows(page, signature: str) -> list[tuple[str, str]]:
    """(rank, system folder) of each row of the entities table for ``signature``, in displayed order."""
    rows = page.eval_on_selector(
        f'table[data-task="entities"][data-signature="{signature}"]',
        "t => Array.from(t.tBodies[0].rows).map(r => [r.cells[0].textContent, r.dataset.system])")
    return [tuple(row) for row in rows]


@pytest.mark.parametrize(("ci", "outcome"), [("", pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_missing_browser_skips_only_outside_ci(monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no-chromium is missing"):
        _browser_or_skip()


def test_html_in_chromium(tmp_path):
    sync_playwright = _browser_or_skip()
    page_file = tmp_path / "leaderboard.html"
    page_file.write_text(render_html(_board()), encoding="utf-8")
    # The same page with a script the escaping "forgot": the CSP alone must stop it.
    leaked = tmp_path / "leaked.html"
    leaked.write_text(render_html(_board()).replace("<main>", f"<main>{EVIL}", 1), encoding="utf-8")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page_errors: list[str] = []
            console_errors: list[str] = []
            requests: list[str] = []
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")

            assert page.title() == "Khabar leaderboard"
            # Ranks in order, best first; the other signature sits alone in its own table.
            assert _rows(page, SIG_A) == [("1", "evil-folder"), ("2", "alpha"), ("3", "gamma")]
            assert _rows(page, SIG_B) == [("1", "delta-old")]
            assert page.locator('table[data-task="entities"]').count() == 2
            assert page.locator(f'table[data-signature="{SIG_A}"] tr[data-system="delta-old"]').count() == 0
            assert page.get_by_text(SIG_B, exact=True).count() == 1

            # The injected name is shown as literal text and nothing in it ran.
            shown = page.locator(f'table[data-signature="{SIG_A}"] tr[data-system="evil-folder"] td.system span')
            assert shown.first.text_content() == EVIL
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator("img").count() == 0
            assert page.evaluate("document.querySelectorAll('script').length") == 1
            # A javascript: URL is not a link.
            assert page.locator('a[href^="javascript"]').count() == 0

            # Sorting: precision ascending, then descending, then back by rank.
            header = page.locator(f'table[data-signature="{SIG_A}"] thead th', has_text="precision")
            header.locator("button").click()
            assert [s for _, s in _rows(page, SIG_A)] == ["evil-folder", "gamma", "alpha"]
            assert header.get_attribute("aria-sort") == "ascending"
            header.locator("button").click()
            assert [s for _, s in _rows(page, SIG_A)] == ["alpha", "gamma", "evil-folder"]
            assert header.get_attribute("aria-sort") == "descending"
            # Text sort on the system name (case-insensitive, by the displayed name).
            page.locator(f'table[data-signature="{SIG_A}"] thead th', has_text="System").locator("button").click()
            assert [s for _, s in _rows(page, SIG_A)] == ["evil-folder", "alpha", "gamma"]
            rank = page.locator(f'table[data-signature="{SIG_A}"] thead th', has_text="Rank").locator("button")
            rank.click()
            assert _rows(page, SIG_A) == [("1", "evil-folder"), ("2", "alpha"), ("3", "gamma")]
            rank.click()
            assert [r for r, _ in _rows(page, SIG_A)] == ["3", "2", "1"]
            rank.click()

            # The chart is drawn and labelled.
            assert page.locator("svg.chart rect").count() == 15
            assert page.locator("svg.chart text", has_text="LOC").count() == 1

            assert page_errors == []
            assert [m for m in console_errors if "Content Security Policy" not in m] == []
            assert all(u.startswith(("file://", "data:")) for u in requests), requests

            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "leaderboard.png"), full_page=True)

            # Defence in depth: an unescaped script and onerror handler are refused by the policy.
            leaked_page = browser.new_page()
            leaked_errors: list[str] = []
            refused: list[str] = []
            leaked_page.on("pageerror", lambda e: leaked_errors.append(str(e)))
            leaked_page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text
                           else None)
            leaked_page.goto(leaked.as_uri())
            leaked_page.wait_for_load_state("load")
            assert leaked_page.evaluate("typeof window.__pwned") == "undefined"
            leaked_page.locator(f'table[data-signature="{SIG_A}"] thead th', has_text="precision") \
                .locator("button").click()
            assert [s for _, s in _rows(leaked_page, SIG_A)] == ["evil-folder", "gamma", "alpha"]
            assert leaked_errors == []
            assert any("inline script" in m for m in refused), refused  # the script was there, and refused
        finally:
            browser.close()
