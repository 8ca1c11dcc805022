"""Plain command-line values are converted without Pydantic exactly as Typer would, and
everything else still goes to Typer's own coercion (with its own messages)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.models import ArgumentInfo, OptionInfo

from flows.quick_params import UNSURE, install, plain_value

CASES = [
    (str, OptionInfo(), ["Wei Liu", "", " spaced ", "Łukasz", "--x"]),
    (Path, OptionInfo(), ["data/kith.duckdb", "", "/tmp", "~/x", "a b/c.duckdb"]),
    (int, OptionInfo(min=1, max=520), ["4", "1", "520", "+7", " 12 ", "0", "521", "-3", "x", "4.0", "1_0", ""]),
    (int, OptionInfo(), ["0", "-12", "99999999999999999999"]),
]


class _Param:
    multiple, nargs = False, 1


@pytest.mark.parametrize("annotation, info, values", CASES)
def test_plain_values_are_what_typer_makes_of_them(annotation, info, values):
    typer_own = build_runtime_param(resolve_type_descriptor(annotation, info))
    for value in values:
        quick = plain_value(annotation, info, value, many=False)
        if quick is UNSURE:
            continue
        assert quick == typer_own.coerce(value, param=_Param(), ctx=None), value
        assert type(quick) is type(typer_own.coerce(value, param=_Param(), ctx=None)), value


def test_out_of_range_and_odd_values_are_left_to_typer():
    info = OptionInfo(min=1, max=520)
    for value in ("0", "521", "x", "4.0", "1_0", ""):
        assert plain_value(int, info, value, many=False) is UNSURE, value
    assert plain_value(int, OptionInfo(min=1, clamp=True), "5", many=False) is UNSURE
    assert plain_value(Path, OptionInfo(exists=True), "x", many=False) is UNSURE
    assert plain_value(float, OptionInfo(), "2.0", many=False) is UNSURE
    assert plain_value(str, ArgumentInfo(), ["a", "b"], many=True) is UNSURE
    assert plain_value(str, OptionInfo(), None, many=False) is None
    assert plain_value(Path, ArgumentInfo(), None, many=True) == ()


def test_typer_still_explains_a_bad_value():
    from typer.testing import CliRunner

    from flows.cli import app

    assert install()
    result = CliRunner().invoke(app, ["snooze", "1", "--weeks", "0"])
    assert result.exit_code == 2 and "Invalid value for '--weeks'" in result.output
    assert "greater than or equal to 1" in result.output


def test_digits_of_other_scripts_are_left_to_typer():
    """int() reads '١٢' and '１２'; Typer refuses them, and so must the quick path."""
    for value in ("١٢", "１２", "1２"):
        assert plain_value(int, OptionInfo(min=1, max=520), value, many=False) is UNSURE, value
