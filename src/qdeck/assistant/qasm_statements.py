"""Split OpenQASM text into statements that remember their line, for the reviewer.

Not a parser: enough structure to point at lines (declarations, gate calls, measurements,
blocks). Comments are blanked out first with their newlines kept, so line numbers stay
those of the file; bodies of ``gate`` and ``def`` definitions are marked so their
parameter names are not mistaken for registers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_OPERAND = re.compile(r"([A-Za-z_]\w*)\s*(?:\[\s*(\d+)\s*\])?")
_MODIFIER = re.compile(r"^(?:(?:ctrl|negctrl|inv|pow)\s*(?:\([^)]*\))?\s*@\s*)+")
_CALL = re.compile(r"^([A-Za-z_]\w*)\s*(\([^;]*?\))?\s+(.+)$", re.DOTALL)


@dataclass(frozen=True)
class Statement:
    text: str  # whitespace collapsed, without the ';' or '{'
    line: int  # 1-based line where the statement starts
    opens_block: bool = False
    in_definition: bool = False  # inside a gate/def body
    block: str = ""  # first word of the innermost enclosing block ("if", "for", ...)


def blank_comments(source: str) -> str:
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


def statements(source: str) -> list[Statement]:
    text = blank_comments(source)
    found: list[Statement] = []
    buffer: list[str] = []
    start_line = line = 1
    definition_depth: int | None = None
    depth = 0
    blocks: list[str] = []

    def flush(opens: bool) -> None:
        content = " ".join("".join(buffer).split())
        buffer.clear()
        if content:
            inside = definition_depth is not None and depth > definition_depth
            block = blocks[-1] if blocks else ""
            found.append(Statement(content, start_line, opens, inside, block))

    started = False  # whether the statement being read has any non-space character yet
    for char in text:
        if not started and not char.isspace() and char not in ";{}":
            start_line, started = line, True
        if char == "\n":
            line += 1
        if char in ";{}":
            started = False
        if char == ";":
            flush(False)
        elif char == "{":
            header = " ".join("".join(buffer).split())
            flush(True)
            if definition_depth is None and header.startswith(("gate ", "def ", "defcal ")):
                definition_depth = depth
            depth += 1
            word = re.match(r"[A-Za-z_]\w*", header)
            # "} else {" opens a block whose header is "else".
            blocks.append(word.group(0) if word else (blocks[-1] if blocks else "block"))
        elif char == "}":
            flush(False)
            depth = max(0, depth - 1)
            if blocks:
                blocks.pop()
            if definition_depth is not None and depth <= definition_depth:
                definition_depth = None
        else:
            buffer.append(char)
    flush(False)
    return found


def operands(text: str) -> list[tuple[str, int | None]]:
    """``q[0], r`` -> [("q", 0), ("r", None)]."""
    return [
        (m.group(1), int(m.group(2)) if m.group(2) is not None else None)
        for m in _OPERAND.finditer(text)
    ]


def gate_call(text: str) -> tuple[str, str] | None:
    """(gate name, operand text) for a gate application, else None."""
    bare = _MODIFIER.sub("", text)
    match = _CALL.match(bare)
    if match is None:
        return None
    return match.group(1), match.group(3)
