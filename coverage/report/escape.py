"""Make user text safe to show: in Markdown, in HTML, and in plotly hover labels.

Documents and summaries come from users. They are never rendered as raw
HTML: every place that shows them goes through one of these functions.
"""

from __future__ import annotations

import html
import re
import textwrap

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$:&])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown syntax so text renders literally (no links, images, HTML).

    Line breaks are kept as Markdown hard breaks.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return "  \n".join(escaped.splitlines())


def escape_html(text: str) -> str:
    """Escape text for HTML element content or attribute values."""
    return html.escape(text, quote=True)


def clip(text: str, limit: int) -> str:
    """Collapse whitespace and cut to ``limit`` characters, ending in an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: max(limit - 1, 0)].rstrip() + "…"


def hover_text(text: str, *, limit: int = 300, width: int = 70) -> str:
    """Escaped, clipped and wrapped text for a plotly hover label (``<br>`` line breaks)."""
    return "<br>".join(escape_html(line) for line in textwrap.wrap(clip(text, limit), width=width) or [""])
