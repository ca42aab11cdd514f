"""Lesson Markdown renders math, code and figures, and never lets active content through."""

from __future__ import annotations

import json

import pytest

from common.markdown import render_markdown


def test_math_is_left_as_tex_for_katex() -> None:
    html = render_markdown("Inline $a < b$ and\n\n$$\\frac{1}{n}\\sum_i x_i$$\n")
    assert '<span class="math" data-display="0">a &lt; b</span>' in html
    assert '<span class="math" data-display="1">\\frac{1}{n}\\sum_i x_i</span>' in html


def test_code_is_highlighted_by_pygments() -> None:
    html = render_markdown("```python\nimport torch\n```\n")
    assert '<pre class="highlight"><code data-lang="python">' in html
    assert '<span class="kn">import</span>' in html


def test_admonitions_tables_and_heading_anchors() -> None:
    html = render_markdown(
        '## Loss functions\n\n!!! note "Why?"\n    Because.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n'
    )
    assert '<h2 id="loss-functions">' in html
    assert '<div class="admonition note">' in html and "Why?" in html
    assert '<td style="text-align:right">2</td>' in html


def test_plotly_block_becomes_a_placeholder_with_the_figure() -> None:
    figure = {"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4]}], "layout": {}}
    html = render_markdown(
        "```plotly\nsrc: figures/a.json\n```\n",
        figure_loader=lambda src: figure if src == "figures/a.json" else None,
    )
    start = html.index('data-figure="') + len('data-figure="')
    payload = html[start : html.index('"', start)].replace("&quot;", '"')
    assert json.loads(payload) == figure


def test_inline_plotly_json_and_missing_figures() -> None:
    assert 'class="plotly-figure"' in render_markdown('```plotly\n{"data": []}\n```\n')
    missing = render_markdown("```plotly\nsrc: figures/nope.json\n```\n", figure_loader=lambda src: None)
    assert "plotly-figure-missing" in missing and "figures/nope.json was not found" in missing


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
        '<iframe src="https://evil.example"></iframe>',
        '<div style="position:fixed" onclick="alert(1)">x</div>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
    ],
)
def test_active_content_is_inert(payload: str) -> None:
    html = render_markdown(f"Text\n\n{payload}\n").lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<svg",
        "<iframe",
        "position:fixed",
    ):
        if needle == "javascript:" and "[x](javascript" in html:
            continue  # left as literal text, not a link
        assert needle not in html.replace("[x](javascript:alert(1))", ""), html


def test_safe_links_keep_rel_noopener() -> None:
    html = render_markdown("[docs](https://pytorch.org/docs)")
    assert '<a href="https://pytorch.org/docs" rel="noopener noreferrer">docs</a>' in html
