"""transforms.match names the matcher's stage modules (transforms/match_*.py): each is in the
digests that decide when what other matching code stored is rebuilt (a full resolution, names
parsed again), and the facade names every public name they define."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import transforms.match as match
from flows import name_parts, people

STAGE_FILES = {p.resolve() for p in Path(match.__file__).parent.glob("match_*.py")}


def test_every_match_module_is_a_named_stage():
    assert {Path(m.__file__).resolve() for m in match.STAGE_MODULES} == STAGE_FILES


@pytest.fixture
def hashed(monkeypatch):
    """The sets of files each source digest computed here hashed."""
    seen = []
    real = name_parts.source_digest

    def spy(*files, extra=b""):
        seen.append({Path(f).resolve() for f in files})
        return real(*files, extra=extra)

    monkeypatch.setattr(name_parts, "source_digest", spy)
    name_parts.parser_version.cache_clear()
    people._matcher_digest.cache_clear()
    yield seen
    name_parts.parser_version.cache_clear()
    people._matcher_digest.cache_clear()


def test_the_parser_and_resolver_versions_hash_every_stage_module(hashed):
    name_parts.parser_version()
    people.resolver_version()
    parser, resolver = hashed
    matcher = STAGE_FILES | {Path(match.__file__).resolve()}
    assert matcher <= parser
    assert matcher <= resolver


def defined(module) -> list[str]:
    """The public names a module's own top-level statements define (not those it imports)."""
    names = []
    for node in ast.parse(Path(module.__file__).read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return [n for n in names if not n.startswith("_")]


@pytest.mark.parametrize("module", match.STAGE_MODULES, ids=lambda m: m.__name__)
def test_the_facade_names_every_public_name_of_a_stage(module):
    names = defined(module)
    assert names
    assert [n for n in names if getattr(match, n, None) is not getattr(module, n)] == []
