"""Hostile data files through the real command line: invisible and look-alike unit names, names that
make one progress file, control characters in every kind of string field, nesting 100,000 deep,
UTF-16 and binary files, an unreadable registry, collective cycles and dates in the year 9999.

`check` reports each at its file and line, in words that say what to do; every command refuses data
with errors (exit 2, one message, never a traceback) and answers on data with warnings only."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cityplan_cli.files import safe_names
from conftest import DATA

DOC = "jzf-2023-9.toml"  # a 批复 with three tasks, owned by 金昌经开区管委会
UNIT = "金昌经开区管委会"


def base(root: Path) -> Path:
    """A small data directory: the registry and one document with its source text."""
    root.mkdir()
    shutil.copy(DATA / "units.toml", root)
    shutil.copy(DATA / DOC, root)
    (root / "sources").mkdir()
    shutil.copy(DATA / "sources" / DOC.replace(".toml", ".txt"), root / "sources")
    return root


def append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def units(*entries: str) -> Callable[[Path], None]:
    return lambda root: append(root / "units.toml", "\n" + "\n".join(entries))


def unit(name: str, full_name: str | None = None) -> str:
    return f'[[units]]\nname = "{name}"\nfull_name = "{full_name or name + "全称"}"\nkind = "测试"\n'


def collective(name: str, *members: str) -> str:
    listed = json.dumps(members, ensure_ascii=False)
    return f"[[collectives]]\nname = {json.dumps(name, ensure_ascii=False)}\nmembers = {listed}\n"


@dataclass
class Case:
    """How to spoil the data, and what `check` must say: (file, text on the line, severity, words),
    and where the line is not the text's own, how far from it."""

    spoil: Callable[[Path], None]
    expect: list[tuple[str, str, str, str] | tuple[str, str, str, str, int]]
    errors: int | None = None  # exactly this many errors, where one fault must give one message
    warnings: int | None = None
    extra: list[str] = field(default_factory=list)


def deep(root: Path) -> None:
    append(root / "deep.toml", "# nested\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")


def deep_tables(root: Path) -> None:
    text = (root / DOC).read_text(encoding="utf-8")
    (root / DOC).write_text(text + "\n[extra]\ny = " + "{a = " * 100_000 + "1" + "}" * 100_000 + "\n")


def utf16(encoding: str) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        text = (root / DOC).read_text(encoding="utf-8")
        (root / DOC).write_bytes(text.encode(encoding))

    return spoil


def registry_bytes(raw: bytes) -> Callable[[Path], None]:
    return lambda root: (root / "units.toml").write_bytes(raw)


def registry_directory(root: Path) -> None:
    (root / "units.toml").unlink()
    (root / "units.toml").mkdir()


def document_field(key: str, value: str, table: str = "[document]") -> Callable[[Path], None]:
    """Set `key = value` (TOML text) first in the first `table` of the document, in place of its own."""

    def spoil(root: Path) -> None:
        path = root / DOC
        lines = path.read_text(encoding="utf-8").splitlines()
        at = lines.index(table) + 1
        end = next((i for i in range(at, len(lines)) if lines[i].startswith("[")), len(lines))
        body = [ln for ln in lines[at:end] if not ln.startswith(f"{key} = ")]
        path.write_text("\n".join([*lines[:at], f"{key} = {value}", *body, *lines[end:]]) + "\n", "utf-8")

    return spoil


def record(date: str = "2023-03-01", extra: str = "") -> Callable[[Path], None]:
    return lambda root: append(
        root / "progress" / "p.toml",
        f'unit = "{UNIT}"\n\n[[records]]\ntask = "jzf-2023-9-01"\ndate = {date}\nstatus = "in_progress"\n'
        f'note = "已部署"\n{extra}',
    )


def both(*spoils: Callable[[Path], None]) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        for one in spoils:
            one(root)

    return spoil


SHARED = len({safe_names([name])[name].casefold() for name in ("a/b", "a:b")}) == 1
ZWSP, RLO = "\\u200b", "\\u202e"  # as TOML escapes: the file itself stays plain text
CASES = {
    "zero-width space in a unit name": Case(
        units(unit(f"省住{ZWSP}建厅")),
        [
            ("units.toml", f'name = "省住{ZWSP}建厅"', "error", "holds U+200B ZERO WIDTH SPACE"),
            ("units.toml", f'name = "省住{ZWSP}建厅"', "error", "'name' \"省住\\u200b建厅\""),
        ],
        extra=["unit '省住建厅' is registered twice"],
    ),
    "bidi override in a unit name": Case(
        units(unit(f"金昌{RLO}测试办", "金昌测试办公室")),
        [("units.toml", f'name = "金昌{RLO}测试办"', "error", "holds U+202E RIGHT-TO-LEFT OVERRIDE")],
        errors=1,
    ),
    "names that differ in case": Case(
        units(unit("ABC办", "甲办公室"), unit("abc办", "乙办公室")),
        [("units.toml", 'name = "abc办"', "error", "'abc办' differs only in case from 'ABC办'")],
        errors=1,
    ),
    "names that differ in width": Case(
        units(unit("ABC办"), unit("ＡＢＣ办")),
        # at its [[units]] header, the line above its name, as every name registered twice
        [("units.toml", 'name = "ＡＢＣ办"', "error", "name 'ABC办' is registered for both", -1)],
    ),
    # Where files.safe_names makes one file name of a/b and a:b, check refuses the pair; where it
    # tells them apart, there is nothing to refuse.
    "names that make one progress file": Case(
        units(unit("a/b"), unit("a:b")),
        [("units.toml", 'name = "a:b"', "error", "would share the progress file progress/a_b.toml")]
        if SHARED
        else [],
        errors=int(SHARED),
    ),
    "a control character in a task title": Case(
        document_field("title", '"标\\u001b[31m题"', "[[tasks]]"),
        [("jzf", 'title = "标\\u001b[31m题"', "error", "holds U+001B ESCAPE, a control character")],
        errors=1,
    ),
    "a zero-width space in a task's unit": Case(
        document_field("lead", f'["省住{ZWSP}建厅"]', "[[tasks]]"),
        [("jzf", f'lead = ["省住{ZWSP}建厅"]', "error", "holds U+200B ZERO WIDTH SPACE")],
        errors=1,
    ),
    "a raw escape byte": Case(
        lambda root: (root / DOC).write_text(
            (root / DOC).read_text(encoding="utf-8").replace('title = "严格', 'title = "\x1b[2J严格', 1),
            encoding="utf-8",
        ),
        [("jzf", "\x1b[2J", "error", "TOML syntax error")],
        errors=1,
    ),
    "nesting 100,000 deep": Case(
        deep, [("deep.toml", "x = [[[", "error", "nested more than 8 deep")], errors=1, warnings=0
    ),
    "inline tables 100,000 deep in a document": Case(
        deep_tables, [("jzf", "y = {a = {a", "error", "nested more than 8 deep")], errors=1, warnings=0
    ),
    "a UTF-16 document": Case(
        utf16("utf-16"), [("jzf", "", "error", "the file is UTF-16; save it as UTF-8")], errors=1
    ),
    "a UTF-16 document without a byte order mark": Case(
        utf16("utf-16-be"), [("jzf", "", "error", "the file is UTF-16; save it as UTF-8")], errors=1
    ),
    "a binary registry": Case(
        registry_bytes(b"\x00\x01\x02\xff garbage \x00"),
        [("units.toml", "", "error", "not a text file (it holds NUL bytes)")],
        errors=1,
        warnings=0,
    ),
    "a registry that is not TOML": Case(
        registry_bytes(b"[[units]\nname = \n"),
        [("units.toml", "", "error", "TOML syntax error")],
        errors=1,
        warnings=0,
    ),
    "a registry that is a directory": Case(
        registry_directory,
        [("units.toml", "", "error", "not a file: the unit registry is required")],
        errors=1,
        warnings=0,
    ),
    "an empty registry": Case(
        registry_bytes(b"# nothing yet\n"),
        [("units.toml", "", "error", "the registry lists no units")],
        errors=1,
        warnings=0,
    ),
    "a collective that is its own member": Case(
        units(collective("甲组", "甲组", "省住建厅")),
        [("units.toml", 'name = "甲组"', "error", "collective '甲组' contains itself: 甲组 → 甲组")],
        errors=1,
    ),
    "two collectives in a cycle": Case(
        units(collective("甲组", "乙组"), collective("乙组", "甲组")),
        [("units.toml", 'name = "甲组"', "error", "collective '甲组' contains itself: 甲组 → 乙组 → 甲组")],
        errors=1,
    ),
    "three collectives in a cycle": Case(
        units(collective("甲组", "乙组"), collective("乙组", "丙组", "省住建厅"), collective("丙组", "甲组")),
        [("units.toml", 'name = "甲组"', "error", "甲组 → 乙组 → 丙组 → 甲组")],
        errors=1,
    ),
    "dates in the year 9999 and before 1949": Case(
        both(
            document_field("due", "9999-12-31"),
            document_field("published", "0001-01-01"),
            document_field("due", "9999-12-31", "[[tasks]]"),
        ),
        [
            (
                "jzf",
                "due = 9999-12-31",
                "warning",
                "'due' 9999-12-31 is more than 30 years after the document's",
            ),
            ("jzf", "published = 0001-01-01", "warning", "'published' 0001-01-01 is before 1949"),
        ],
        errors=0,
        warnings=3,  # a progress record dated after today is an error of its own (test_parts.py)
    ),
    "working days without end": Case(
        document_field("due_working_days", "999999999", "[[tasks]]"),
        [("jzf", "due_working_days = 999999999", "error", "'due_working_days' must be 1 to 7500")],
        errors=1,
    ),
    "working days past the calendar's end": Case(
        both(
            document_field("due_working_days", "20", "[[tasks]]"),
            document_field("start", "9999-12-30", "[[tasks]]"),
        ),
        [
            ("jzf", "start = 9999-12-30", "warning", "'start' 9999-12-30 is more than 30 years"),
            ("jzf", "due_working_days = 20", "error", "is past the calendar's end"),
        ],
        errors=1,
    ),
}


def check(run, root: Path) -> tuple[list[dict], int]:
    result = run.runner.invoke(run_app(), ["check", "--format", "json", "--data", str(root)])
    assert result.exit_code in (0, 2) and "Traceback" not in result.output, result.output
    return json.loads(result.stdout or "[]"), result.exit_code


def run_app():
    from cityplan_cli.cli import app

    return app


def line_of(path: Path, text: str) -> int:
    if not text or not path.is_file():
        return 1
    for no, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if text in line:
            return no
    raise AssertionError(f"{text!r} is not in {path}")


@pytest.fixture
def spoiled(request, tmp_path) -> tuple[Path, Case]:
    case = CASES[request.param]
    root = base(tmp_path / "data")
    case.spoil(root)
    return root, case


@pytest.mark.parametrize("spoiled", list(CASES), indirect=True)
def test_check_names_the_file_the_line_and_the_fault(run, spoiled):
    root, case = spoiled
    found, code = check(run, root)
    errors = [p for p in found if p["severity"] == "error"]
    assert code == (2 if errors else 0)
    for name, text, severity, words, *offset in case.expect:
        path = next(p for p in [root / "units.toml", root / DOC, *root.rglob("*.toml")] if name in p.name)
        line = line_of(path, text) + sum(offset)
        hits = [
            p for p in found if p["file"] == str(path) and p["severity"] == severity and words in p["message"]
        ]
        assert hits, f"no {severity} with {words!r} in {found}"
        assert any(p["line"] == line for p in hits), (line, hits)
    for words in case.extra:
        assert any(words in p["message"] for p in found), (words, found)
    if case.errors is not None:
        assert len(errors) == case.errors, errors
    if case.warnings is not None:
        assert len(found) - len(errors) == case.warnings, found


COMMANDS = {
    "check": ["check"],
    "tasks": ["tasks"],
    "duties": ["duties", UNIT],
    "units": ["units"],
    "report": ["report"],
    "checklist": ["checklist", "--all", "--out", "{out}/清单"],
    "export": ["export", "--out", "{out}/台账.xlsx"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("spoiled", list(CASES), indirect=True)
def test_every_command_refuses_or_answers_never_a_traceback(run, spoiled, command, tmp_path):
    root, case = spoiled
    errors = case.errors if case.errors is not None else 1
    argv = [a.format(out=tmp_path) for a in COMMANDS[command]]
    result = run.runner.invoke(run_app(), [*argv, "--data", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == (2 if errors else 0), result.output
    if errors and command != "check":
        assert result.stderr.startswith("cityplan: error: "), result.stderr
        assert result.stdout == ""
        assert not (tmp_path / "清单").exists() and not (tmp_path / "台账.xlsx").exists()


def test_control_characters_are_refused_in_every_string_field(run, tmp_path):
    """Each kind of string a data file holds, with a BELL: one error each, at its line; a tab and a
    line feed pass where a text may run over lines."""
    root = base(tmp_path / "data")
    bell = "\\u0007"
    doc = f'''[document]
id = "d"
number = "测{bell}号"
issuer = "金昌市人民政府{bell}"
date = 2024-01-01
title = "标题{bell}"
addressees = ["{UNIT}{bell}"]
source = "sources/d{bell}.txt"

[[document.rules]]
text = "规则{bell}"
local = ["{UNIT}{bell}"]
unless_kind = ["管委会{bell}"]

[[tasks]]
id = "d-1"
seq = 1
title = "任务{bell}"
text = "正文\\t第一行\\n第二行{bell}"
section = "一、{bell}"
label = "(一){bell}"
lead = ["{UNIT}{bell}"]
support = ["金昌市政府{bell}"]
local = ["永昌县政府{bell}"]
leaders = ["张三{bell}"]
status = "done{bell}"
due_text = "年底前{bell}"
time_limit = "20日{bell}"

[[tasks.milestones]]
date = 2024-06-30
text = "节点{bell}"

[[tasks.basis]]
quote = "引文{bell}"
how = "named{bell}"
units = ["{UNIT}{bell}"]
note = "说明{bell}"

[[tasks]]
id = "d-2"
seq = 2
title = "无误"
text = "制表\\t与\\n换行可以"
lead = ["{UNIT}"]
'''
    (root / "d.toml").write_text(doc, encoding="utf-8")
    append(
        root / "units.toml",
        f'\n[[units]]\nname = "新单位{bell}"\nfull_name = "新单位全称{bell}"\nkind = "测试{bell}"\n'
        f'aliases = ["别名{bell}"]\nnameplates = ["牌子{bell}"]\nparent = "金昌市政府{bell}"\n'
        f'places = ["某地{bell}"]\nremit = ["事项{bell}"]\nteam = "@org/t{bell}"\n\n'
        f'[units.contact]\naddress = "地址{bell}"\nphone = "0935{bell}"\n\n'
        f'[[collectives]]\nname = "新组{bell}"\nmembers = ["金昌市政府{bell}"]\n',
    )
    append(
        root / "progress" / "p.toml",
        f'unit = "{UNIT}{bell}"\n\n[[records]]\ntask = "d-1{bell}"\ndate = 2024-03-01\n'
        f'status = "done{bell}"\nnote = "备注{bell}"\n',
    )
    found, code = check(run, root)
    assert code == 2
    bells = [p for p in found if "U+0007 BELL" in p["message"]]
    for path in (root / "d.toml", root / "units.toml", root / "progress" / "p.toml"):
        lines = [no for no, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bell in ln]
        reported = sorted(p["line"] for p in bells if p["file"] == str(path))
        assert reported == lines, (path.name, reported, lines)
    assert all(p["severity"] == "error" for p in bells)
    # The characters were reported, not the follow-on: the values read on without them.
    others = [p for p in found if p not in bells and p["severity"] == "error"]
    assert others == [], others


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ('"一行\\t"', False),
        ('"一行\\n二行"', False),
        ('"一行\\r"', False),
        ('"\\u0085"', False),
        ('"\\u2028"', False),
        ('"反\\u2066转"', False),
        ('"零宽\\u200b空格"', True),  # invisible, but harmless in a title
        ('"全角\\u3000空格"', True),
    ],
)
def test_what_a_title_may_hold(run, tmp_path, value, allowed):
    root = base(tmp_path / "data")
    document_field("title", value, "[[tasks]]")(root)
    found, code = check(run, root)
    assert code == (0 if allowed else 2), found
    if not allowed:
        (p,) = found
        assert p["line"] == line_of(root / DOC, f"title = {value}")
        assert "'title'" in p["message"] and "U+" in p["message"]


def test_a_text_may_run_over_lines_with_tabs(run, tmp_path):
    root = base(tmp_path / "data")
    (root / "d.toml").write_text(
        '[document]\nid = "d"\ntitle = "标题"\nissuer = "金昌市人民政府"\n\n'
        f'[[tasks]]\nid = "d-1"\nseq = 1\ntitle = "任务"\nlead = ["{UNIT}"]\n'
        'text = """第一行\n\t第二行\n第三行"""\nnote = "x"\n',
        encoding="utf-8",
    )
    found, code = check(run, root)
    assert [p["message"] for p in found] == [
        "unknown field 'note' (known: basis, due, due_text, due_working_days, id, implements, label, lead, "
        "leaders, local, milestones, proposed, section, seq, start, status, support, text, time_limit, title)"
    ]
    assert code == 0


def test_a_unit_named_with_invisible_characters_on_the_command_line_is_the_unit(run, tmp_path):
    root = base(tmp_path / "data")
    plain = run.json("duties", UNIT, data=root)
    assert run.json("duties", "金昌\u200b经开区\u202e管委会\u00ad", data=root) == plain


def test_an_unreadable_registry_is_one_error(run, tmp_path, monkeypatch):
    """Permission denied (simulated where the tests run as root, who may read anything): one error
    naming the file and the reason; no unit a document names becomes an error of its own."""
    root = base(tmp_path / "data")
    registry = root / "units.toml"
    if os.geteuid() != 0:
        registry.chmod(0)
    else:
        real = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self == registry:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    found, code = check(run, root)
    assert code == 2
    assert [(p["file"], p["line"], p["severity"]) for p in found] == [(str(registry), 1, "error")]
    assert "Permission denied" in found[0]["message"]
    result = run("tasks", data=root, code=2)
    assert result.stderr.splitlines()[0] == f"cityplan: error: {registry}:1: error: {found[0]['message']}"


def test_each_unit_records_in_a_file_of_its_own(run, tmp_path):
    """a/b and a:b, each the lead of a task: either `check` refuses the pair (their progress files
    would be one) and nothing is recorded, or each records in its own file, read back as its own."""
    root = base(tmp_path / "data")
    units(unit("a/b"), unit("a:b"))(root)
    (root / "d.toml").write_text(
        '[document]\nid = "d"\ntitle = "标题"\nissuer = "金昌市人民政府"\n\n'
        '[[tasks]]\nid = "d-1"\nseq = 1\ntitle = "甲"\nlead = ["a/b"]\n\n'
        '[[tasks]]\nid = "d-2"\nseq = 2\ntitle = "乙"\nlead = ["a:b"]\n',
        encoding="utf-8",
    )
    code = 2 if SHARED else 0
    for task, name in (("d-1", "a/b"), ("d-2", "a:b")):
        result = run(
            "progress", task, "--unit", name, "--status", "done", "--note", name, data=root, code=code
        )
    if SHARED:
        assert "would share the progress file" in result.stderr
        assert not (root / "progress").exists()
        return
    files = sorted((root / "progress").rglob("*.toml"))
    assert len(files) == 2 and len({f.parent for f in files}) == 2  # a folder each
    assert {
        (t, r["unit"], r["note"]) for t in ("d-1", "d-2") for r in run.json("show", t, data=root)["progress"]
    } == {
        ("d-1", "a/b", "a/b"),
        ("d-2", "a:b", "a:b"),
    }


def test_a_records_unit_is_the_one_its_file_names(run, tmp_path):
    """A file named after one unit holds another's records: they are the other's."""
    root = base(tmp_path / "data")
    append(
        root / "progress" / "金昌市政府.toml",
        f'unit = "{UNIT}"\n\n[[records]]\ntask = "jzf-2023-9-01"\ndate = 2023-03-01\n'
        'status = "done"\nnote = "已完成"\n',
    )
    run("check", data=root)
    shown = run.json("show", "jzf-2023-9-01", data=root)
    assert [(r["unit"], r["note"]) for r in shown["progress"]] == [(UNIT, "已完成")]


def test_a_full_disk_names_the_file_and_leaves_the_data(run, tmp_path, monkeypatch):
    """No space to flush a progress file: one line naming the file, exit 2, nothing written."""
    root = base(tmp_path / "data")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = run(
        "progress", "jzf-2023-9-01", "--unit", UNIT, "--status", "done", "--note", "x", data=root, code=2
    )
    (line,) = result.stderr.splitlines()
    assert line.startswith("cityplan: error: ") and "No space left on device" in line
    assert [p.name for p in (root / "progress").glob("*") if not p.name.endswith(".lock")] == []
    # it names the file whose write found the disk full (the first one the run writes)
    named = line.removeprefix("cityplan: error: ").split(": No space left on device")[0]
    assert Path(named).is_relative_to(root) and Path(named).name, line


def test_a_cache_that_cannot_be_written_only_costs_time(run, tmp_path, monkeypatch):
    from cityplan_cli.cache import Store

    root = base(tmp_path / "data")

    def full(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.stamp))

    monkeypatch.setattr(Store, "_write_stamp", full)
    assert [t["id"] for t in run.json("tasks", data=root)] == [
        "jzf-2023-9-01",
        "jzf-2023-9-02",
        "jzf-2023-9-03",
    ]


def test_a_registry_broken_after_a_good_run_is_one_error(run, tmp_path):
    """The stored index knew every unit; the registry breaks: the names documents use are not each
    reported again as unknown."""
    root = base(tmp_path / "data")
    run("tasks", data=root)
    (root / "units.toml").write_text("[[units]\n", encoding="utf-8")
    found, code = check(run, root)
    assert code == 2
    assert [(p["line"], p["severity"]) for p in found] == [(1, "error")]
    assert "TOML syntax error" in found[0]["message"]


def test_a_key_never_brings_an_escape_sequence_to_the_screen(run, tmp_path):
    root = base(tmp_path / "data")
    document_field('"\\u001b[2J\\u001b]0;x\\u0007"', "1", "[[tasks]]")(root)
    result = run("check", "--format", "table", data=root)
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert 'warning: unknown field "\\u001b[2J\\u001b]0;x\\u0007" (known: ' in result.stdout
