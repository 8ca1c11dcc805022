"""Read a CSV export whose header may not be on line 1.

LinkedIn puts a three-line ``Notes:`` preamble before the header of Connections.csv; users
delete it, Excel pads it with commas or re-saves the file with ``;``. So the header is found
by content: the first row (within the first few) that the format's matcher accepts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Callable, Iterator

from transforms.records import ExportError

HEADER_SEARCH_CHARS = 1 << 20  # the header is looked for in the first MB (and HEADER_SEARCH_ROWS rows)
HEADER_SEARCH_ROWS = 12


@dataclass
class Row:
    record_no: int  # 1-based number of the data record after the header
    line_no: int  # physical line where the record starts
    values: dict[str, str]  # keyed by the canonical (case-folded, stripped) header name


@dataclass
class Table:
    header: list[str]  # canonical header names
    header_line: int
    delimiter: str
    rows: list[Row]


def canonical(name: str) -> str:
    """Header names compare case- and space-insensitively (LinkedIn mixes FROM and From)."""
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


def sniff_delimiter(text: str) -> str:
    """``,`` unless the first lines clearly use ``;`` or tabs (Excel re-saves in many locales)."""
    head = "\n".join(text[:65536].splitlines()[:HEADER_SEARCH_ROWS])
    counts = {d: head.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def find_header(
    text: str, accepts: Callable[[list[str]], bool], delimiter: str | None = None
) -> tuple[int, list[str], str] | None:
    """(0-based row index, canonical header, delimiter) of the first accepted row, or None."""
    delimiters = [delimiter] if delimiter else [sniff_delimiter(text), ",", ";", "\t"]
    head = text[:HEADER_SEARCH_CHARS]  # detection asks every format: never copy a whole 100 MB file for it
    for delim in dict.fromkeys(delimiters):
        reader = csv.reader(io.StringIO(head), delimiter=delim)
        try:
            for index, row in enumerate(reader):
                if index >= HEADER_SEARCH_ROWS:
                    break
                header = _unique([canonical(c) for c in row])
                while header and header[-1] == "":
                    header.pop()
                if header and accepts(header):
                    return index, header, delim
        except csv.Error:
            continue
    return None


def read_table(text: str, accepts: Callable[[list[str]], bool], what: str) -> Table:
    """All data rows of the table whose header ``accepts`` recognises.

    Raises ExportError naming the line for a header that is missing or a file that ends
    inside a quoted field (a truncated download).
    """
    header, header_index, delim, records = _find_table(text, accepts, what)
    rows = []
    for record_no, line_no, cells in records:
        values = dict(zip(header, cells))
        values.pop("", None)
        rows.append(Row(record_no=record_no, line_no=line_no, values=values))
    header_line = _physical_line_of_row(text, header_index, delim)
    return Table(header=header, header_line=header_line, delimiter=delim, rows=rows)


def read_records(
    text: str, accepts: Callable[[list[str]], bool], what: str
) -> tuple[list[str], Iterator[tuple[int, int, list[str]]]]:
    """The header ``accepts`` recognises and the data rows after it, read one at a time as
    (record number, physical line, cells in header order): the rows of read_table without a
    dict per row, which a 100,000-row address book would hold all at once.

    Raises ExportError as read_table does (a truncated file: while its rows are read).
    """
    header, _index, _delim, records = _find_table(text, accepts, what)
    return header, records


def _find_table(
    text: str, accepts: Callable[[list[str]], bool], what: str
) -> tuple[list[str], int, str, Iterator[tuple[int, int, list[str]]]]:
    found = find_header(text, accepts)
    if found is None:
        raise ExportError(f"no {what} header found in the first {HEADER_SEARCH_ROWS} lines")
    header_index, header, delim = found
    return header, header_index, delim, _data_rows(text, header_index, len(header), delim)


def _unique(names: list[str]) -> list[str]:
    """Keep every column of a header that repeats a name (``Email, Email``): the second is
    ``email #2``, so no value is silently overwritten."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name:
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} #{seen[name]}"
        out.append(name)
    return out


def _physical_line_of_row(text: str, row_index: int, delim: str) -> int:
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    line = 0
    for index, _ in enumerate(reader):
        if index == row_index:
            return line + 1
        line = reader.line_num
    return line + 1


def _data_rows(text: str, header_index: int, width: int, delim: str) -> Iterator[tuple[int, int, list[str]]]:
    """(record number, physical line, cells) of each data row, short rows padded to ``width``."""
    reader = csv.reader(io.StringIO(text), delimiter=delim, strict=True)
    record_no = 0
    previous_line = 0
    index = -1
    while True:
        start_line = previous_line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ExportError(
                f"broken CSV ({exc}); the file looks truncated or is not a CSV export",
                line_no=start_line,
            ) from None
        previous_line = reader.line_num
        index += 1
        if index <= header_index:
            continue
        if not (row and (row[0].strip() or any(cell.strip() for cell in row))):
            continue  # blank line (LinkedIn's preamble has one; files may end with one)
        record_no += 1
        if len(row) < width:
            row = row + [""] * (width - len(row))
        yield record_no, start_line, row
