"""JSON of a large object written and read a piece at a time, in the same text as the
json module's own: one json.dumps or json.loads over a 50,000-unit snapshot (15 MB) is
one C call holding the GIL for 0.7 s, and the window, whose worker makes it, cannot draw
meanwhile (bench/bench_stalls.py). Pieces of one record each let it in between: an
object's members, or a list's items (a return package's 5,000 changes)."""

from __future__ import annotations

import json
import re
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def dumps(value: Any, depth: int = 2) -> str:
    """``json.dumps(value, ensure_ascii=False)``, an object's members made one by one
    down to ``depth`` levels of objects."""
    if depth <= 0 or not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        return json.dumps(value, ensure_ascii=False)
    members = (
        f"{json.dumps(k, ensure_ascii=False)}: {dumps(v, depth - 1)}" for k, v in value.items()
    )
    return "{" + ", ".join(members) + "}"


def loads(text: str | bytes, depth: int = 2) -> Any:
    """``json.loads(text)``, an object's members or a list's items read one by one down
    to ``depth`` levels; text that is not JSON raises json.JSONDecodeError as it would
    (bytes are decoded as json.loads decodes them: UnicodeDecodeError)."""
    if isinstance(text, bytes | bytearray):
        text = text.decode(json.detect_encoding(text), "surrogatepass")
    value, end = _value(text, _SPACE.match(text, 0).end(), depth)  # type: ignore[union-attr]
    end = _SPACE.match(text, end).end()  # type: ignore[union-attr]
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _value(text: str, at: int, depth: int) -> tuple[Any, int]:
    if depth > 0 and text.startswith("[", at):
        return _items(text, at, depth)
    if depth <= 0 or not text.startswith("{", at):
        return _DECODER.raw_decode(text, at)
    out: dict[str, Any] = {}
    at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    if text.startswith("}", at):
        return out, at + 1
    while True:
        if not text.startswith('"', at):
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, at
            )
        key, at = _DECODER.raw_decode(text, at)
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if not text.startswith(":", at):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
        at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        out[key], at = _value(text, at, depth - 1)
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text.startswith("}", at):
            return out, at + 1
        if not text.startswith(",", at):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
        at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]


def _items(text: str, at: int, depth: int) -> tuple[list[Any], int]:
    """A list at ``at``, item by item."""
    out: list[Any] = []
    at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", at):
        return out, at + 1
    while True:
        item, at = _value(text, at, depth - 1)
        out.append(item)
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text.startswith("]", at):
            return out, at + 1
        if not text.startswith(",", at):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
        at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
