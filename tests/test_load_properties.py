"""Property-based tests of the loader and the registry."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityplan_cli.load import load
from conftest import DATA

DATASET, _ = load(DATA)
UNITS = sorted(u.name for u in DATASET.registry if not u.is_collective)
NAMES = sorted(
    (name, u.name) for u in DATASET.registry for name in (u.name, u.full_name, *u.aliases, *u.nameplates)
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def with_document(text: str | bytes) -> Path:
    root = Path(tempfile.mkdtemp())
    shutil.copy(DATA / "units.toml", root / "units.toml")
    target = root / "doc.toml"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return root


@FAST
@given(st.sampled_from(NAMES), st.sampled_from(["", " ", "\u3000", "\t"]))
def test_every_registered_name_resolves_despite_spacing(pair, space):
    name, unit = pair
    spaced = space + space.join(name) + space
    assert DATASET.registry.resolve(spaced) == unit


@FAST
@given(st.sampled_from(UNITS))
def test_a_unit_with_a_nameplate_in_any_bracket_resolves(unit):
    plates = DATASET.registry.get(unit).nameplates
    for plate in plates:
        for left, right in ("〔〕", "【】", "[]", "［］"):
            assert DATASET.registry.resolve(f"{unit}{left}{plate}{right}") == unit
    assert DATASET.registry.resolve(f"{unit}〔不存在的牌子〕") is None


@FAST
@given(st.binary(max_size=400) | st.text(max_size=400))
def test_any_content_gives_problems_never_an_exception(content):
    root = with_document(content)
    try:
        _, problems = load(root)
        lines = max(1, (content if isinstance(content, str) else content.decode("latin-1")).count("\n") + 1)
        for p in problems:
            assert 0 <= p.line <= lines + 1, p
    finally:
        shutil.rmtree(root)


task = st.fixed_dictionaries(
    {
        # any visible text: controls, line separators and bidirectional controls are refused
        "title": st.text(
            st.characters(
                codec="utf-8",
                exclude_categories=("Cs", "Cc", "Zl", "Zp"),
                exclude_characters="\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
            ),
            min_size=1,
            max_size=30,
        ),
        "lead": st.lists(st.sampled_from(UNITS), max_size=1),
        "support": st.lists(st.sampled_from(UNITS), max_size=4, unique=True),
    }
)


@FAST
@given(st.lists(task, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_valid_documents_load_exactly(items, rnd):
    order = list(range(1, len(items) + 1))
    rnd.shuffle(order)  # files may list items in any order
    parts = ['[document]\nid = "d"\ntitle = "测试"\nissuer = "甘肃省人民政府"\n']
    for seq, item in zip(order, items, strict=True):
        support = [u for u in item["support"] if u not in item["lead"]]
        title, lead = (json.dumps(item[k], ensure_ascii=False) for k in ("title", "lead"))
        parts.append(
            f'[[tasks]]\nid = "d-{seq}"\nseq = {seq}\ntitle = {title}\nlead = {lead}\n'
            f"support = {json.dumps(support, ensure_ascii=False)}\n"
        )
    root = with_document("\n".join(parts))
    try:
        ds, problems = load(root)
    finally:
        shutil.rmtree(root)
    assert problems == []
    loaded = {t.seq: t for t in ds.tasks}
    for seq, item in zip(order, items, strict=True):
        assert loaded[seq].title == item["title"]
        assert list(loaded[seq].lead) == item["lead"]
        assert list(loaded[seq].support) == [u for u in item["support"] if u not in item["lead"]]
