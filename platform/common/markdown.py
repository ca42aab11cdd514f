"""Render course Markdown to safe HTML: math, admonitions, highlighted code, Plotly figures.

Every piece of HTML leaves through ``nh3`` with an allow-list, so raw ``<script>``, event
handlers, ``javascript:`` URLs and SVG payloads in a lesson render inert.  Math is left as TeX
in ``<span class="math">`` for KaTeX in the browser; ``plotly`` blocks become placeholders
holding the figure JSON for the frontend to draw.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import nh3
import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

# Returns the figure for a ``src:`` path (a dict, or JSON text), or None when it is missing.
FigureLoader = Callable[[str], "Mapping[str, Any] | str | None"]

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "samp",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "div": {"data-figure"},
    "span": {"data-display"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
    "code": {"data-lang"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
_FORMATTER = HtmlFormatter(nowrap=True)


def _highlight(code: str, lang: str) -> str:
    """Return Pygments-highlighted HTML for a code block (plain escaped text if unknown)."""
    try:
        lexer = get_lexer_by_name(lang) if lang else None
    except ClassNotFound:
        lexer = None
    body = highlight(code, lexer, _FORMATTER) if lexer else escape(code)
    lang_attr = f' data-lang="{escape(lang)}"' if lang else ""
    return f'<pre class="highlight"><code{lang_attr}>{body}</code></pre>\n'


def _figure_html(source: str, loader: FigureLoader | None) -> str:
    """Turn a ``plotly`` block (``src: path`` or inline figure JSON) into a placeholder div."""
    figure: Any = None
    problem = ""
    text = source.strip()
    try:
        if text.startswith("{"):
            figure = json.loads(text)
        else:
            spec = yaml.safe_load(text) or {}
            src = spec.get("src") if isinstance(spec, dict) else None
            if not isinstance(src, str):
                problem = "a plotly block needs `src: figures/NAME.json` or the figure JSON"
            elif loader is None:
                problem = f"figure {src} is not available here"
            else:
                loaded = loader(src)
                figure = json.loads(loaded) if isinstance(loaded, str) else loaded
                if figure is None:
                    problem = f"figure {src} was not found"
    except (ValueError, yaml.YAMLError) as exc:
        problem = f"figure is not valid JSON: {exc}"
    if not problem and not (isinstance(figure, Mapping) and isinstance(figure.get("data"), list)):
        problem = 'a Plotly figure is an object with a "data" list'
    if problem:
        return f'<div class="plotly-figure plotly-figure-missing">{escape(problem)}</div>\n'
    payload = json.dumps(figure, separators=(",", ":"), sort_keys=True)
    return f'<div class="plotly-figure" data-figure="{escape(payload, quote=True)}"></div>\n'


def _math(display: bool, block: bool = False) -> Callable[..., str]:
    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        tex = escape(tokens[idx].content.strip(), quote=False)
        html = f'<span class="math" data-display="{int(display)}">{tex}</span>'
        return f'<p class="math-block">{html}</p>\n' if block else html

    return render


def _build(loader: FigureLoader | None) -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
        .enable("table")
        .enable("strikethrough")
        .use(front_matter_plugin)
        .use(dollarmath_plugin, double_inline=True)
        .use(admon_plugin)
        .use(anchors_plugin, min_level=2, max_level=4)
    )

    def fence(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        if lang == "plotly":
            return _figure_html(token.content, loader)
        return _highlight(token.content, lang)

    md.add_render_rule("fence", fence)
    md.add_render_rule("math_inline", _math(False))
    md.add_render_rule("math_inline_double", _math(True))
    md.add_render_rule("math_block", _math(True, block=True))
    md.add_render_rule("math_block_label", _math(True, block=True))
    md.add_render_rule("front_matter", lambda *args: "")
    return md


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes of an HTML fragment."""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style", "svg", "math", "iframe", "object", "embed", "template"},
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str, *, figure_loader: FigureLoader | None = None) -> str:
    """Render course Markdown to sanitized HTML."""
    return sanitize_html(_build(figure_loader).render(text))
