"""Markdown with LaTeX formulas: Markdown is rendered here, each ``$...$`` or ``$$...$$``
is kept out of the Markdown parser (which would read ``_`` as emphasis) and drawn by
KaTeX in the browser (formulas.js, KaTeX vendored in ui/static/quest)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown2
from nicegui import ui

QUEST_ASSETS = Path(__file__).parents[1] / "static" / "quest"
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)(.+?)(?<![\\\s])\$", re.DOTALL)


def render(markdown: str) -> str:
    """HTML with each formula as an empty ``span.qd-math`` carrying its TeX."""
    formulas: list[str] = []

    def hold(match: re.Match[str]) -> str:
        display = match.group(1) is not None
        tex = match.group(1) if display else match.group(2)
        formulas.append(
            f'<span class="qd-math" data-display="{int(display)}" '
            f'data-tex="{html.escape(tex.strip(), quote=True)}"></span>'
        )
        return f"QDMATH{len(formulas) - 1}X"

    text = _MATH.sub(hold, markdown)
    rendered = markdown2.markdown(text, extras=["fenced-code-blocks", "tables"])
    return re.sub(r"QDMATH(\d+)X", lambda m: formulas[int(m.group(1))], rendered)


class Formulas(ui.element, component="formulas.js", esm={"qdeck-quest": str(QUEST_ASSETS)}):
    def __init__(self, markdown: str) -> None:
        super().__init__()
        self._props["html"] = render(markdown)
        self.classes("qd-lesson nicegui-markdown")

    def set_markdown(self, markdown: str) -> None:
        self._props["html"] = render(markdown)
        self.update()
