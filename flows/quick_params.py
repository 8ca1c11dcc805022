"""Plain command-line values without Pydantic, for commands that must answer at once.

Typer 0.29 coerces every parameter through a Pydantic TypeAdapter, built when the value is
first seen, even for a plain string or an option left out: importing Pydantic and building
the adapters costs ~150 ms of CPU here, about a third of ``kith show``. For the values kith
mostly gets (nothing, a string, a path, a whole number in range) the answer is plain, so
those are converted here; anything else (a number out of range, a list, a float, a path
with checks) goes to Typer's own coercion, which gives its own messages.

It hooks one method of Typer's (``_TyperParameter.get_runtime_param``); with a Typer that
has no such method, ``install`` leaves Typer alone and everything works as before, slower.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

UNSURE = object()
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")  # (not \d: Typer refuses '١٢' and '１２', int() would not)


def _plain_path(value: str, info: Any) -> Any:
    """A path with no checks asked for, as Typer makes it (an unreadable file goes to Typer)."""
    checked = (info.exists, info.resolve_path, info.allow_dash, info.path_type, info.writable,
               not info.file_okay, not info.dir_okay)
    if any(checked) or (info.readable and os.path.exists(value) and not os.access(value, os.R_OK)):
        return UNSURE
    return Path(value)


def _whole_number(value: str, info: Any) -> Any:
    if not WHOLE_NUMBER.fullmatch(value.strip()) or info.clamp:
        return UNSURE
    number = int(value)
    if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
        return UNSURE
    return number


def plain_value(annotation: Any, info: Any, value: Any, many: bool) -> Any:
    """The value as Typer would give it, or UNSURE when Typer must decide."""
    if value is None:
        return () if many else None
    if many or not isinstance(value, str):
        return UNSURE
    if annotation is str:
        return value
    if annotation is Path:
        return _plain_path(value, info)
    if annotation is int:
        return _whole_number(value, info)
    return UNSURE


class QuickParam:
    """Stands in for Typer's coercion of one parameter; builds Typer's own only if needed."""

    def __init__(self, descriptor: Any, build: Any) -> None:
        self.descriptor, self.build, self.full = descriptor, build, None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        quick = plain_value(self.descriptor.annotation, self.descriptor.parameter_info, value, many)
        if quick is not UNSURE:
            return quick
        if self.full is None:
            self.full = self.build(self.descriptor)
        return self.full.coerce(value, param=param, ctx=ctx)


def install() -> bool:
    """Hook Typer's coercion (once). False when this Typer has no such seam."""
    try:
        from typer import _coercion
        from typer.core import _TyperParameter
    except ImportError:
        return False
    if not hasattr(_TyperParameter, "get_runtime_param") or not hasattr(_coercion, "build_runtime_param"):
        return False
    if getattr(_TyperParameter.get_runtime_param, "kith_quick", False):
        return True
    build = _coercion.build_runtime_param

    def get_runtime_param(self):  # type: ignore[no-untyped-def]
        if getattr(self, "_runtime_param", None) is None:
            self._runtime_param = QuickParam(self.type_descriptor, build)
        return self._runtime_param

    get_runtime_param.kith_quick = True  # type: ignore[attr-defined]
    _TyperParameter.get_runtime_param = get_runtime_param
    return True
