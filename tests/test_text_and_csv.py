"""Decoding and header finding: BOMs, UTF-16, cp1252, binary junk, truncated files."""

from __future__ import annotations

import pytest

from transforms.csv_table import read_table
from transforms.records import ExportError
from transforms.text import decode

HEADER = "First Name,Last Name,Connected On"


def test_decodes_boms_and_utf16_and_cp1252():
    text = HEADER + "\nJosé,Núñez,01 Jan 2020"
    assert decode(text.encode("utf-8-sig")) == text
    assert decode(b"\xff\xfe" + text.encode("utf-16-le")) == text
    assert decode(b"\xfe\xff" + text.encode("utf-16-be")) == text
    assert decode(text.encode("utf-16-le")) == text  # old macOS: no BOM
    assert decode(text.encode("cp1252")) == text


def test_binary_is_refused():
    with pytest.raises(ExportError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)


def test_header_found_by_content_with_line_numbers():
    text = 'Notes:\n"a note, with a comma"\n\n' + HEADER + '\nA,B,01 Jan 2020\n"C\nD",E,02 Jan 2020\nF,G,03 Jan 2020'
    table = read_table(text, lambda h: "connected on" in h, "test")
    assert table.header_line == 4
    assert [r.record_no for r in table.rows] == [1, 2, 3]
    assert [r.line_no for r in table.rows] == [5, 6, 8]  # a quoted newline spans two lines
    assert table.rows[1].values["first name"] == "C\nD"


def test_missing_header_and_truncation_are_errors_with_lines():
    with pytest.raises(ExportError, match="no test header"):
        read_table("a,b\n1,2", lambda h: False, "test")
    with pytest.raises(ExportError) as info:
        read_table(HEADER + '\nA,B,01 Jan 2020\n"C,D', lambda h: "connected on" in h, "test")
    assert info.value.line_no == 3


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf\xff", b"\xff\xfeA", b"\xff\xfeA\x00\n\x00\x00\xd8"])
def test_bytes_that_break_their_own_bom_are_an_export_error(data):
    with pytest.raises(ExportError, match="not valid UTF-"):
        decode(data)


def test_a_repeated_column_name_keeps_both_values():
    table = read_table("Name,Email,Email\nAnn,ann@x.io,ann@home.io\n", lambda h: "name" in h, "test")
    assert table.rows[0].values == {"name": "Ann", "email": "ann@x.io", "email #2": "ann@home.io"}
