"""Cell paths: ``<table>/<row key>/<column key>`` (FORMAT.md §5), built and split here."""

from __future__ import annotations

from typing import NamedTuple

SEP = "/"


class CellPath(NamedTuple):
    table: str
    row: str
    column: str

    def __str__(self) -> str:
        return SEP.join(self)


def join(table: str, row: str, column: str) -> str:
    """The path of a cell."""
    return f"{table}{SEP}{row}{SEP}{column}"


def split(path: str) -> CellPath:
    """``path``'s three parts; ValueError naming the path if it has not three."""
    parts = path.split(SEP)
    if len(parts) != 3 or "" in parts:
        raise ValueError(
            f"{path!r} is not a cell path: a path is <table>/<row key>/<column key>, e.g. "
            "'applications/new_received/total' (see the data dictionary, docs/spec/FORMAT.md §5)"
        )
    return CellPath._make(parts)


def table_of(path: str) -> str:
    """The table key of a path (or of a bare table key)."""
    return path.split(SEP, 1)[0]
