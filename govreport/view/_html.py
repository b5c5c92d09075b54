"""Small HTML helpers shared by the report page and the overview: escaping, the page
shell (inline CSS, Chinese fonts with fallbacks) and the glyphs of cell states."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from importlib.resources import files

#: Chinese fonts first (each platform's), then the generic family.
FONTS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)
MONO_FONTS = (
    '"Noto Sans Mono CJK SC", "Sarasa Mono SC", "DejaVu Sans Mono", "Menlo", "Consolas", monospace'
)


def asset(name: str) -> str:
    """The text of a file in ``govreport/view/assets`` (the pages' CSS and script)."""
    return files("govreport.view").joinpath("assets", name).read_text(encoding="utf-8")


def base_css() -> str:
    """The CSS every page shares, with the font stacks filled in."""
    return asset("base.css").replace("__FONTS__", FONTS).replace("__MONO__", MONO_FONTS)


#: The mark of each severity, so that colour is not the only signal.
SEVERITY_GLYPH = {"error": "✖", "warning": "▲", "info": "ℹ"}


def esc(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return escape(str(text), quote=True)


def number(value: object) -> str:
    """A cell value as the report states it: an integer, or a Decimal without exponent."""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def page(title: str, css: str, body: str, script: str = "") -> str:
    """A whole self-contained HTML document."""
    js = f"<script>\n{script}\n</script>\n" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="govreport">\n'
        # no request may leave the page: not even for a favicon
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(title)}</title>\n<style>{base_css()}{css}</style>\n</head>\n"
        f"<body>\n{body}\n{js}</body>\n</html>\n"
    )
