"""The language of the terminal: help, messages, table headings and stderr lines follow the locale
(CITYPLAN_LANG, then LC_ALL, LC_MESSAGES, LANG); documents are Chinese whatever it is; every message
of the code has its Chinese in the catalog, and the compiled catalog is the one the source says."""

from __future__ import annotations

import csv
import datetime as dt
import gettext
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from openpyxl import load_workbook
from typer.testing import CliRunner

from cityplan_cli import i18n
from cityplan_cli.cli import COMMANDS, app
from conftest import DATA, FIXTURES, ROOT

PO = ROOT / "src/cityplan_cli/locale/zh/LC_MESSAGES/cityplan.po"
MO = PO.with_suffix(".mo")


def catalog() -> dict:
    """msgid → its Chinese; a message with plural forms is (singular, plural) → (its one form,)."""
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def forms(text) -> tuple[str, ...]:
    """The forms of a message or of its translation: one, or a plural's."""
    return tuple(text) if isinstance(text, tuple) else (text,)


def invoke(args: list[str], lang: str | None, **env: str):
    """The CLI as a user runs it, with the locale given: CITYPLAN_LANG (or none: the LANG given)."""
    variables = {"CITYPLAN_LANG": lang or "", "COLUMNS": "80", **env}
    return CliRunner().invoke(app, args, env=variables)


def flat(text: str) -> str:
    """Text with the help panels' frames and all white space taken out: wrapping does not matter."""
    return re.sub(r"[\s│╭╮╰╯─]+", "", text)


def command(name: str):
    """The command as the CLI builds it, with the English texts it was translated from."""
    group = app_group()
    return group.get_command(None, name)


def app_group():
    import typer.main

    return typer.main.get_command(app)


# -- choosing the language -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "CITYPLAN_LANG": "en"}, "en"),
        ({"LANG": "C", "CITYPLAN_LANG": "zh"}, "zh"),
        ({"LC_ALL": "C", "CITYPLAN_LANG": "zh_CN"}, "zh"),
    ],
)
def test_the_language_is_read_from_the_environment(variables, language):
    assert i18n.language_of(variables) == language


def test_the_locale_chooses_the_language_of_a_real_run():
    """Through a real process: LANG alone, and CITYPLAN_LANG over it."""
    env = {"PATH": "/usr/bin:/bin", "CITYPLAN_DATA": str(DATA), "COLUMNS": "80"}
    cli = [sys.executable, "-m", "cityplan_cli", "dutis"]
    zh = subprocess.run(cli, env={**env, "LANG": "zh_CN.UTF-8"}, capture_output=True, text=True)
    en = subprocess.run(cli, env={**env, "LANG": "zh_CN.UTF-8", "CITYPLAN_LANG": "en"}, capture_output=True)
    assert zh.returncode == 2 and zh.stderr.startswith(
        "cityplan: 错误: 没有“dutis”这个命令；是否指：duties？"
    )
    assert en.returncode == 2 and en.stderr.decode().startswith("cityplan: error: no such command 'dutis'")


# -- help ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_of_every_command_in_chinese(name):
    zh = catalog()
    result = invoke([name, "--help"], "zh", COLUMNS="300")  # wide: no column wraps into another
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    built = command(name)
    summary = zh[built._msgids["help"]]
    assert flat(summary.split("\n\n")[0]) in out  # the whole first paragraph, in Chinese
    assert "用法：" in out and "选项" in out and "显示本帮助并退出。" in out
    for param in built.params:
        english = param._msgids["help"]
        if english:
            assert flat(zh[english]) in out, param.name
            # No English help leaks: its first words are not there (unless the Chinese starts alike).
            assert flat(english[:24]) not in out or zh[english].startswith(english[:24]), param.name
    for english in ("Usage:", "Options", "Arguments", "Show this message"):
        assert english not in result.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_of_every_command_in_english(name):
    zh = catalog()
    result = invoke([name, "--help"], None, LANG="C", COLUMNS="300")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    built = command(name)
    english = built._msgids["help"]
    assert flat(english.split("\n\n")[0]) in out
    assert "Usage:" in result.stdout and "Options" in result.stdout
    assert flat(zh[english])[:12] not in out  # none of the Chinese
    for param in built.params:
        if param._msgids["help"]:
            assert flat(param._msgids["help"]) in out, param.name


def test_help_of_the_tool_lists_every_command_in_both_languages():
    zh, en = invoke(["--help"], "zh"), invoke(["--help"], "en")
    assert zh.exit_code == en.exit_code == 0
    assert "把政府规划文件落实到“谁来干”" in flat(zh.stdout) and "命令" in zh.stdout
    assert flat("Government plans turned into who-does-what") in flat(en.stdout)
    for name in COMMANDS:
        assert name in zh.stdout and name in en.stdout
    assert "校验全部数据文件" in flat(zh.stdout) and flat("Validate every data file") in flat(en.stdout)


# -- usage errors ----------------------------------------------------------------------------------

USAGE = [
    # (arguments, English message, Chinese message, the command the hint names)
    (
        ["dutis"],
        "no such command 'dutis'; did you mean duties?",
        "没有“dutis”这个命令；是否指：duties？",
        "cityplan",
    ),
    (
        ["duties", "省住建厅", "--rol", "lead"],
        "no such option: --rol; did you mean --role?",
        "没有这个选项：--rol；是否指：--role？",
        "cityplan duties",
    ),
    (
        ["tasks", "--status", "in_progres"],
        "invalid value for '--status': 'in_progres' is not a status:",
        "“--status”的值无效：“in_progres”不是有效的状态：",
        "cityplan tasks",
    ),
    (
        ["units", "--sort", "lod"],
        "invalid value for '--sort': 'lod' is not one of registry (登记顺序), load (负荷)",
        "“--sort”的值无效：“lod”不在可选范围内：registry (登记顺序)、load (负荷)",
        "cityplan units",
    ),
    (
        ["tasks", "--due-before", "2026-13-01"],
        "invalid value for '--due-before': '2026-13-01' is not a day of the calendar",
        "“--due-before”的值无效：“2026-13-01”不是日历上存在的日期",
        "cityplan tasks",
    ),
    (["progress"], "missing argument TASK_ID", "缺少参数 TASK_ID", "cityplan progress"),
    (["tasks", "surplus"], "unexpected extra arguments: surplus", "多余的参数：surplus", "cityplan tasks"),
    (
        ["tasks", "--overdue=yes"],
        "option '--overdue' takes no value",
        "选项“--overdue”不带值",
        "cityplan tasks",
    ),
    (
        ["--qiet", "tasks"],
        "no such option: --qiet; did you mean --quiet?",
        "没有这个选项：--qiet；是否指：--quiet？",
        "cityplan",
    ),
    (
        ["progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "done", "--percent", "200"],
        "invalid value for '--percent': 200 is not in the range 0<=x<=100",
        "“--percent”的值无效：200 不在范围 0<=x<=100 内",
        "cityplan progress",
    ),
]


@pytest.mark.parametrize(("args", "english", "chinese_text", "where"), USAGE)
def test_usage_errors_are_one_line_and_a_hint_in_both_languages(args, english, chinese_text, where):
    for lang, prefix, message, hint in (
        ("en", "cityplan: error: ", english, f"cityplan: hint: see '{where} --help'"),
        ("zh", "cityplan: 错误: ", chinese_text, f"cityplan: 提示: 用法见“{where} --help”"),
    ):
        result = invoke([*args, "--data", str(DATA)], lang)
        assert result.exit_code == 2, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 2, result.stderr
        assert lines[0].startswith(prefix + message), lines[0]
        assert lines[1] == hint
        assert not set("╭╰│") & set(result.stderr) and "Traceback" not in result.stderr
        assert result.stdout == ""


def test_the_tool_alone_shows_its_help_and_no_error():
    for lang in ("en", "zh"):
        result = invoke([], lang)
        assert result.exit_code == 2 and result.stderr == ""
        assert ("Usage:" if lang == "en" else "用法：") in result.stdout and "duties" in result.stdout


def test_an_option_without_its_value_names_its_command():
    """The last argument: --data cannot be added after it."""
    for lang, message, hint in (
        (
            "en",
            "cityplan: error: option '--unit' needs a value",
            "cityplan: hint: see 'cityplan tasks --help'",
        ),
        ("zh", "cityplan: 错误: 选项“--unit”需要一个值", "cityplan: 提示: 用法见“cityplan tasks --help”"),
    ):
        result = invoke(["--data", str(DATA), "tasks", "--unit"], lang)
        assert result.exit_code == 2 and result.stderr.splitlines() == [message, hint]


def test_the_suggestions_of_a_bad_choice_name_the_closest():
    result = invoke(["tasks", "--status", "in_progres", "--data", str(DATA)], "en")
    assert result.stderr.splitlines()[0].endswith("; did you mean in_progress?")
    result = invoke(["units", "--sort", "lod", "--data", str(DATA)], "zh")
    assert "；是否指：load" in result.stderr


def test_errors_of_the_tool_are_in_the_language_of_the_run():
    en = invoke(["duties", "省住房厅", "--data", str(DATA)], "en")
    zh = invoke(["duties", "省住房厅", "--data", str(DATA)], "zh")
    assert en.exit_code == zh.exit_code == 2
    assert en.stderr.startswith("cityplan: error: unknown unit '省住房厅'; did you mean 省住建厅")
    assert zh.stderr.startswith("cityplan: 错误: 未登记的单位“省住房厅”；是否指：省住建厅")
    zh = invoke(["show", "gzf-2024-57-40", "--data", str(DATA)], "zh")
    assert zh.stderr.startswith("cityplan: 错误: 没有任务“gzf-2024-57-40”；是否指：gzf-2024-57-")


def test_the_bundled_data_note_is_in_the_language_of_the_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    zh = invoke(["docs", "--format", "json"], "zh")
    en = invoke(["docs", "--format", "json"], "en")
    assert zh.exit_code == en.exit_code == 0
    assert "及其上级目录中没有数据目录：以下结果来自内置的示例数据" in zh.stderr
    assert "answering from the bundled example data" in en.stderr
    assert zh.stdout == en.stdout  # JSON is data: the same in both


# -- Chinese labels of every choice ----------------------------------------------------------------


@pytest.fixture
def reported(data: Path) -> Path:
    """The bundled data with a task blocked (a red light) and one in progress."""
    for task, unit, status in (
        ("gzf-2024-57-04", "省住建厅", "blocked"),
        ("gzf-2024-57-02", "省人社厅", "in_progress"),
    ):
        result = invoke(
            ["progress", task, "--unit", unit, "--status", status, "--note", "情况", "--data", str(data)],
            "en",
        )
        assert result.exit_code == 0, result.output
    return data


@pytest.mark.parametrize(
    ("label", "value"),
    [
        (["tasks", "--status", "推进中"], ["tasks", "--status", "in_progress"]),
        (["tasks", "--status", "受阻"], ["tasks", "--status", "blocked"]),
        (["tasks", "--status", "未启动"], ["tasks", "--status", "not_started"]),
        (["tasks", "--light", "红灯"], ["tasks", "--light", "red"]),
        (["duties", "金昌市政府", "--role", "落实"], ["duties", "金昌市政府", "--role", "local"]),
        (
            ["tasks", "--unit", "省住建厅", "--role", "牵头"],
            ["tasks", "--unit", "省住建厅", "--role", "lead"],
        ),
        (["units", "--sort", "负荷"], ["units", "--sort", "load"]),
        (["units", "--sort", "类别"], ["units", "--sort", "kind"]),
    ],
)
def test_every_choice_takes_its_chinese_label(reported, label, value):
    by_label = invoke([*label, "--format", "json", "--data", str(reported)], "en")
    by_value = invoke([*value, "--format", "json", "--data", str(reported)], "en")
    assert by_label.exit_code == by_value.exit_code == 0, by_label.output
    assert by_label.stdout == by_value.stdout and by_label.stdout.strip() not in ("", "[]")
    if label[1] in ("--status", "--light"):  # and not everything: the label chose
        everything = invoke([label[0], "--format", "json", "--data", str(reported)], "en").stdout
        assert len(by_label.stdout) < len(everything) or label[2] == "未启动"


def test_the_table_format_takes_its_chinese_label():
    by_label = invoke(["docs", "--format", "表格", "--data", str(DATA)], "zh")
    by_value = invoke(["docs", "--format", "table", "--data", str(DATA)], "zh")
    assert by_label.exit_code == 0 and by_label.stdout == by_value.stdout
    assert by_label.stdout.startswith("序号")
    graph = [invoke(["graph", "--format", f, "--data", str(DATA)], "zh") for f in ("表格", "table")]
    assert graph[0].exit_code == 0 and graph[0].stdout == graph[1].stdout
    wrong = invoke(["graph", "--format", "tabel", "--data", str(DATA)], "zh")
    assert wrong.exit_code == 2 and wrong.stderr.rstrip().endswith("；是否指：table？")


# -- table headings --------------------------------------------------------------------------------


def test_table_headings_follow_the_language():
    args = ["tasks", "--unit", "省住建厅", "--format", "table", "--data", str(DATA)]
    en = invoke(args, "en").stdout.splitlines()[0].split()
    zh = invoke(args, "zh").stdout.splitlines()[0].split()
    assert en[:2] == ["ID", "Task"] and "Status" in en
    assert zh[:2] == ["编号", "任务"] and "状态" in zh
    assert len(en) >= len(zh) - 1  # the same columns ("Time limit" is two words)


@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_files_and_data_do_not_change_with_the_language(fmt):
    """CSV and Markdown listings are files for the office (Chinese headings); JSON is data."""
    args = ["tasks", "--unit", "省住建厅", "--format", fmt, "--data", str(DATA)]
    en, zh = invoke(args, "en"), invoke(args, "zh")
    assert en.exit_code == zh.exit_code == 0 and en.stdout == zh.stdout
    if fmt != "json":
        assert "编号" in en.stdout.splitlines()[0] and "牵头单位" in en.stdout.splitlines()[0]


def test_unit_card_headings_follow_the_language():
    unit = "金昌市政府办公室信息公开科"
    en = invoke(["units", unit, "--data", str(DATA)], "en").stdout
    zh = invoke(["units", unit, "--data", str(DATA)], "zh").stdout
    assert re.search(r"^Full name\s+金昌市人民政府办公室信息公开科", en, re.M)
    assert re.search(r"^全称\s+金昌市人民政府办公室信息公开科", zh, re.M)
    assert re.search(r"^Phone\s+0935-8220051$", en, re.M) and re.search(r"^电话\s+0935-8220051$", zh, re.M)


def test_show_headings_follow_the_language():
    en = invoke(["show", "gzf-2024-57-04", "--data", str(DATA)], "en").stdout
    zh = invoke(["show", "gzf-2024-57-04", "--data", str(DATA)], "zh").stdout
    assert "Basis of each owner" in en and "责任依据" in zh
    assert re.search(r"^Lead\s+省住建厅", en, re.M) and re.search(r"^牵头单位\s+省住建厅", zh, re.M)


# -- documents are Chinese whatever the locale -----------------------------------------------------


def test_documents_are_chinese_under_an_english_locale(tmp_path):
    """Checklists (md, csv, xlsx, docx), the ledger and the weekly report: the same bytes under
    LANG=C as under zh_CN, Chinese headings in both."""
    written = {}
    for lang, env in (("en", {"LANG": "C"}), ("zh", {"LANG": "zh_CN.UTF-8"})):
        out = tmp_path / lang
        for args in (
            ["checklist", "省住建厅", "--out", str(out), "-f", "md", "-f", "csv"],
            ["report", "--as-of", "2026-11-26", "--format", "md", "--out", str(out / "周报.md")],
        ):
            result = invoke([*args, "--data", str(DATA)], None, **env)
            assert result.exit_code == 0, result.output
        result = invoke(["export", "--out", str(out / "台账.xlsx"), "--data", str(DATA)], None, **env)
        assert result.exit_code == 0, result.output
        written[lang] = out
    for path in sorted(written["zh"].iterdir()):
        twin = written["en"] / path.name
        assert twin.read_bytes() == path.read_bytes(), path.name
    en = written["en"]
    (csv_file,) = en.glob("*.csv")
    header = next(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    assert header[:2] == ["职责", "编号"] and "牵头单位联系方式" in header
    (md_file,) = [p for p in en.glob("*.md") if p.name != "周报.md"]
    assert "- 编号：" in md_file.read_text(encoding="utf-8")
    assert "红灯" in (en / "周报.md").read_text(encoding="utf-8")
    sheet = load_workbook(en / "台账.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["编号", "文件", "序号"]


# -- the catalog -----------------------------------------------------------------------------------


def extracted() -> set[str]:
    """Every message of the code, as `make messages` extracts it (Babel, with babel.cfg)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "src", method_map, options_map
        )
        if isinstance(message, str) or (isinstance(message, tuple) and all(message))
    }


def test_every_message_of_the_code_has_its_chinese():
    messages, zh = extracted(), catalog()
    assert len(messages) > 200
    missing = sorted((m for m in messages if not all(forms(zh.get(m) or ""))), key=str)
    assert not missing, f"not in the catalog (run `make messages` and translate): {missing[:5]}"
    stale = sorted(set(zh) - messages, key=str)
    assert not stale, f"in the catalog but no longer in the code: {stale[:5]}"


def test_every_translation_keeps_the_placeholders():
    for msgid, translation in catalog().items():
        for english in forms(msgid):
            fields = set(re.findall(r"\{\w*(?::[^}]*)?\}", english))
            for chinese_text in forms(translation):
                assert set(re.findall(r"\{\w*(?::[^}]*)?\}", chinese_text)) == fields, english
                assert not re.search(r"[\u4e00-\u9fff]", english) or re.search(
                    r"[\u4e00-\u9fff]", chinese_text
                )


def test_the_compiled_catalog_is_the_source():
    """The .mo shipped in the package says what the .po in the repository says."""
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    source = {}
    for msgid, translation in catalog().items():
        if isinstance(msgid, tuple):  # gettext keys each plural form by (singular, index)
            source.update({(msgid[0], i): form for i, form in enumerate(translation)})
        else:
            source[msgid] = translation
    assert {k: v for k, v in compiled._catalog.items() if k} == source  # type: ignore[attr-defined]
    assert compiled.ngettext("{count} error", "{count} errors", 2) == "错误 {count} 个"  # nplurals=1


def test_every_command_and_option_help_is_a_message_of_the_catalog():
    """What the CLI builds at run time (docstrings, option help) is what the catalog translates."""
    zh = catalog()
    group = app_group()
    texts = [group.help, *(p.help for p in group.params)]
    for name in COMMANDS:
        built = command(name)
        texts += [built._msgids["help"], *(p._msgids["help"] for p in built.params)]
    missing = [t for t in texts if t and t not in zh]
    assert not missing, missing[:3]


def test_english_needs_no_catalog(monkeypatch):
    """Under English the catalog is never read: it costs nothing at start-up."""
    monkeypatch.setattr(i18n, "_catalogs", {})
    i18n.use("en")
    assert i18n._("Lead") == "Lead"
    assert i18n._catalogs == {}
    i18n.use("zh")
    assert i18n._("Lead") == "牵头单位"
    assert i18n.chinese("Lead") == "牵头单位"


@pytest.mark.slow
def test_the_wheel_speaks_chinese(tmp_path):
    """A wheel built from the repository carries the compiled catalog, and the tool it installs
    finds it: run from the unpacked wheel, its messages are Chinese."""
    import zipfile

    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("cityplan-*.whl")
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    assert (tmp_path / "site/cityplan_cli/locale/zh/LC_MESSAGES/cityplan.mo").read_bytes() == MO.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "cityplan_cli", "dutis"],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "site"), "CITYPLAN_LANG": "zh"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("cityplan: 错误: 没有“dutis”这个命令；是否指：duties？")


def broken_data(tmp_path: Path) -> Path:
    """The bundled data with one finding of each kind: an unknown unit, a date that is not one, a
    task id given twice and a quote the source does not hold."""
    import shutil

    root = tmp_path / "tasks"
    shutil.copytree(DATA, root)
    path = root / "gzf-2024-57.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ('lead = ["省公安厅"]', 'lead = ["省公按厅"]'),
        ("date = 2024-11-17", 'date = "下周一"'),
        ('id = "gzf-2024-57-02"', 'id = "gzf-2024-57-01"'),
        ('quote = "(责任单位:省教育厅、省发展改革委)"', 'quote = "(责任单位:省教育厅、省财政厅)"'),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return root


def test_check_findings_speak_the_language_of_the_run(tmp_path):
    root = broken_data(tmp_path)
    # The cache is built under Chinese, then read under English, then under Chinese again.
    zh = invoke(["check", "--data", str(root)], "zh")
    en = invoke(["check", "--data", str(root)], "en")
    again = invoke(["check", "--data", str(root)], "zh")
    assert zh.exit_code == en.exit_code == again.exit_code == 2
    assert zh.stdout == again.stdout
    for chinese_text in (
        "错误: lead：未登记的单位“省公按厅”；是否指：省公安厅",
        "错误: “date”应为日期（YYYY-MM-DD），而不是",
        "错误: 任务编号“gzf-2024-57-01”重复（首次出现于",
        "错误: 在 sources/gzf-2024-57.txt 中找不到引文：(责任单位:省教育厅、省财政厅)",
    ):
        assert chinese_text in zh.stdout
    for english in (
        "error: lead: unknown unit '省公按厅'; did you mean 省公安厅",
        "error: 'date' must be a date (YYYY-MM-DD), not",
        "error: duplicate task id 'gzf-2024-57-01' (first at",
        "error: quote not found in sources/gzf-2024-57.txt: (责任单位:省教育厅、省财政厅)",
    ):
        assert english in en.stdout
    assert "错误" not in en.stdout and ": error: " not in zh.stdout
    assert "警告: 省发展改革委（配合）在原文中没有依据" in zh.stdout
    # JSON keeps the English message, whatever the language.
    records = json.loads(invoke(["check", "--data", str(root), "--format", "json"], "zh").stdout)
    assert any(
        r["message"].startswith("lead: unknown unit '省公按厅'; did you mean 省公安厅") for r in records
    )
    # A command on the broken data names the first errors in the language of the run.
    duties = invoke(["duties", "省公安厅", "--data", str(root)], "zh")
    assert duties.exit_code == 2
    assert "未登记的单位“省公按厅”" in duties.stderr


def test_a_finding_keeps_its_message_through_a_worker_process():
    import pickle

    from cityplan_cli.errors import Finding

    inner = Finding("a date (YYYY-MM-DD)")
    finding = Finding("'{key}' must be {type}, not {value}", key="date", type=inner, value="'x'")
    back = pickle.loads(pickle.dumps(finding))
    assert back == "'date' must be a date (YYYY-MM-DD), not 'x'"
    assert back.params["type"].msgid == "a date (YYYY-MM-DD)"
    i18n.use("zh")
    try:
        assert back.translated() == "“date”应为日期（YYYY-MM-DD），而不是'x'"
    finally:
        i18n.use(None)


def test_a_refused_character_is_named_in_the_language_of_the_run(tmp_path):
    root = broken_data(tmp_path)
    path = root / "gzf-2024-57.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('title = "深化户籍制度改革"', 'title = "深化户籍\u202e制度改革"', 1), encoding="utf-8"
    )
    zh = invoke(["check", "--data", str(root)], "zh")
    en = invoke(["check", "--data", str(root)], "en")
    assert "错误: “title” " in zh.stdout and "含有 U+202E RIGHT-TO-LEFT OVERRIDE，这是" in zh.stdout
    assert "请删除（“title”是一行可见文字）" in zh.stdout
    assert "error: 'title' " in en.stdout and "remove it ('title' is one line of visible text)" in en.stdout


# -- counts ----------------------------------------------------------------------------------------


def test_counts_take_the_form_their_number_needs(data, edit):
    """One error, one warning, one progress record: English says each in the singular, Chinese
    counts them with its measure words, through the catalog's plural forms."""
    recorded = invoke(
        [
            "progress",
            "gzf-2024-57-04",
            "--unit",
            "省住建厅",
            "--status",
            "in_progress",
            "--note",
            "开工",
            "--data",
            str(data),
        ],
        "en",
    )
    assert recorded.exit_code == 0, recorded.output
    path = data / "gzf-2024-57.toml"
    edit(path, 'lead = ["省公安厅"]', 'lead = ["省公按厅"]')  # an unknown unit: an error
    edit(
        path, 'id = "gzf-2024-57-02"', 'id = "gzf-2024-57-02"\ncolour = "red"'
    )  # an unknown field: a warning
    en = invoke(["check", "--data", str(data)], "en")
    zh = invoke(["check", "--data", str(data)], "zh")
    assert en.exit_code == zh.exit_code == 2
    assert en.stderr == f"{data}: 6 documents, 164 tasks, 104 units, 1 progress record; 1 error, 1 warning\n"
    assert zh.stderr == f"{data}：文件 6 个，任务 164 项，单位 104 个，进展记录 1 条；错误 1 个，警告 1 个\n"


def test_lists_in_messages_are_joined_as_the_language_joins_them(data, edit):
    """Suggestions, choices and known fields: a、b、c in Chinese, a, b, c in English (and in JSON),
    from the same cached findings."""
    path = data / "gzf-2024-57.toml"
    edit(path, 'lead = ["省公安厅"]', 'lead = ["省公按厅"]')
    edit(path, 'id = "gzf-2024-57-02"', 'id = "gzf-2024-57-02"\nstatus = "going"')
    zh = invoke(["check", "--data", str(data)], "zh")
    en = invoke(["check", "--data", str(data)], "en")
    assert zh.exit_code == en.exit_code == 2
    assert "错误: lead：未登记的单位“省公按厅”；是否指：省公安厅、省政府办公厅、省教育厅？\n" in zh.stdout
    assert "错误: status“going”不是以下之一：not_started、in_progress、done、blocked\n" in zh.stdout
    assert "unknown unit '省公按厅'; did you mean 省公安厅, 省政府办公厅, 省教育厅?\n" in en.stdout
    assert "error: status 'going' is not one of not_started, in_progress, done, blocked\n" in en.stdout
    records = json.loads(invoke(["check", "--data", str(data), "--format", "json"], "zh").stdout)
    assert "did you mean 省公安厅, 省政府办公厅, 省教育厅?" in records[0]["message"]
    unknown = invoke(["show", "gzf-2024-57-4", "--data", str(DATA)], "zh")
    assert unknown.stderr.startswith("cityplan: 错误: 没有任务“gzf-2024-57-4”；是否指：gzf-2024-57-")
    assert "、gzf-2024-57-" in unknown.stderr.splitlines()[0] and ", " not in unknown.stderr


# -- import's report -------------------------------------------------------------------------------


def test_the_import_report_speaks_the_language_of_the_run(tmp_path, registry_only):
    """What import skipped and why, how it read the file and where a line came from: kept in no
    language while the document is read, said in the language of the run."""
    from test_import_formats import build_docx

    text = (FIXTURES / "import" / "urban-renewal.txt").read_text(encoding="utf-8")
    gbk = tmp_path / "方案.txt"
    gbk.write_bytes(text.encode("gb18030"))
    docx = build_docx(tmp_path / "分工表.docx")
    reports = {
        lang: [invoke(["import", str(f), "--data", str(registry_only)], lang) for f in (gbk, docx)]
        for lang in ("en", "zh")
    }
    for result in (*reports["en"], *reports["zh"]):
        assert result.exit_code == 0, result.output
    (en_text, en_docx), (zh_text, zh_docx) = ([r.stderr for r in rs] for rs in reports.values())
    assert "    skipped line 9: states no owners, beside items that do: 一、总体要求\n" in en_text
    assert "note: read as gb18030, not UTF-8\n" in en_text
    assert "    已跳过 第 9 行：未写明责任单位，而相邻条目写明了：一、总体要求\n" in zh_text
    assert "说明：按 gb18030 编码读取，不是 UTF-8\n" in zh_text
    assert "  gzbf-2025-12：甘政办发〔2025〕12号 甘肃省城市更新行动实施方案（第 1–19 行）\n" in zh_text
    assert "    deadline not understood, line 9 (table 1, row 6): 视情况推进\n" in en_docx
    assert "    未能识别的时限，第 9 行（表格 1，第 6 行）：视情况推进\n" in zh_docx
    assert "    → 标准输出\n" in zh_docx and "    → stdout\n" in en_docx
    assert reports["en"][1].stdout == reports["zh"][1].stdout  # the TOML written is the same, Chinese
    assert reports["en"][1].stdout.startswith("# 由 cityplan import 从 分工表.docx 第 1–9 行导入。\n")


# -- data files that cannot be read ----------------------------------------------------------------


def test_a_data_file_that_cannot_be_read_is_named_in_the_language_of_the_run(data, tmp_path):
    """Not UTF-8 and not TOML: the file and the line, the problem in Chinese, the parser's own
    words through the catalog; the English as it was."""
    gbk = data / "gzf-2024-57.toml"
    gbk.write_bytes(gbk.read_text(encoding="utf-8").encode("gb18030"))
    broken = data / "gzf-2023-73.toml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("title = ", "title ", 1), encoding="utf-8")
    zh = invoke(["check", "--data", str(data)], "zh")
    en = invoke(["check", "--data", str(data)], "en")
    assert zh.exit_code == en.exit_code == 2
    assert zh.stdout == (
        f"{broken}:14: 错误: TOML 语法错误：键值对中键之后应为“=”\n"
        f"{gbk}:1: 错误: 不是 UTF-8：该文件似乎是 GBK/GB18030 编码，请另存为 UTF-8\n"
    )
    assert en.stdout == (
        f"{broken}:14: error: TOML syntax error: Expected '=' after a key in a key/value pair\n"
        f"{gbk}:1: error: not UTF-8; the file looks like GBK/GB18030, save it as UTF-8\n"
    )
    duties = invoke(["duties", "省住建厅", "--data", str(data)], "zh")
    assert duties.exit_code == 2
    assert duties.stderr.startswith(
        f"cityplan: 错误: {broken}:14: 错误: TOML 语法错误：键值对中键之后应为“=”\n"
    )
    # A file to be written that is not TOML: the file, its line, the parser's words in Chinese.
    other = tmp_path / "other.toml"
    other.write_text("[document\n", encoding="utf-8")
    zh = invoke(
        ["cascade", "gzf-2024-57", "--to", "金昌市政府", "--out", str(other), "--data", str(DATA)], "zh"
    )
    assert zh.exit_code == 2
    assert zh.stderr.splitlines()[0] == f"cityplan: 错误: {other}:1：不是 TOML 文件：表头末尾应为“]”"


def test_every_message_of_the_toml_parser_has_its_chinese():
    """Each message tomli raises (read from its source: a new version may add one) is a message of
    the catalog; one it did not have is shown as the parser says it."""
    import ast

    import tomli

    from cityplan_cli.errors import Finding
    from cityplan_cli.load.text import toml_problem

    said = []
    source = (Path(tomli.__file__).parent / "_parser.py").read_text(
        encoding="utf-8"
    )  # beside the compiled one
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "TOMLDecodeError" and node.args:
            first = node.args[0]
            if isinstance(first, ast.JoinedStr):  # a value the parser names: a key, say
                said.append(
                    "".join(v.value if isinstance(v, ast.Constant) else "('a', 'b')" for v in first.values)
                )
            elif isinstance(first, ast.Constant):
                said.append(first.value)
    assert len(said) > 20
    zh = catalog()
    i18n.use("zh")
    try:
        for message in said:
            problem = toml_problem(tomli.TOMLDecodeError(message, "x", 0))
            assert isinstance(problem, Finding) and zh[problem.msgid], message
            assert problem.translated() != message and re.search(r"[\u4e00-\u9fff]", problem.translated())
        key = toml_problem(tomli.TOMLDecodeError("Cannot declare ('tasks', 'basis') twice", "x", 0))
        assert key.translated() == "“tasks.basis”不能声明两次"
        unknown = toml_problem(tomli.TOMLDecodeError("Something new", "x", 0))
        assert unknown == "Something new" and not isinstance(unknown, Finding)
    finally:
        i18n.use(None)


# -- the messages of the commands that record ------------------------------------------------------


def test_errors_of_recording_and_evidence_are_in_the_language_of_the_run(data, tmp_path):
    import hashlib

    paper = tmp_path / "验收报告.pdf"
    paper.write_bytes(b"%PDF-1.4 report")
    sha = hashlib.sha256(paper.read_bytes()).hexdigest()
    kept = data / "evidence" / "省住建厅" / f"{sha}.pdf"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"other content")  # a file under the name of another's content
    record = ["progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "done", "--note", "完成"]
    cases = [
        (
            [*record, "--attach", str(tmp_path / "missing.pdf")],
            f"--attach {tmp_path / 'missing.pdf'}：不是文件",
        ),
        (
            [*record, "--attach", str(paper)],
            f"{kept} 已存在，但内容与文件名所示不符；未覆盖（`cityplan check` 会列出引用它的记录）",
        ),
        (
            [*record, "--milestone", "2020-01-01"],
            "--milestone 2020-01-01：gzf-2024-57-04 在这一天没有节点；其节点为：无",
        ),
        (
            ["ack", "gzf-2024-57-04", "--unit", "各市州政府"],
            "“各市州政府”是集合单位：由各成员单位分别签收"
            "（兰州市政府、嘉峪关市政府、金昌市政府、白银市政府、天水市政府…）",
        ),
        (
            ["ack", "gzf-2024-57-04", "--unit", "省住建厅", "--date", "2099-01-01"],
            f"--date 2099-01-01 晚于今天（{dt.date.today()}）",
        ),
        (
            ["confirm", "gzf-2024-57-04", "--by", "省公安厅"],
            "只有 甘政发〔2024〕57号 的督办单位 省政府办公厅 能审核 gzf-2024-57-04",
        ),
        (
            ["confirm", "gzf-2024-57-04", "--by", "省政府办公厅", "--reject"],
            "--reject 需要用 --note 说明退回理由",
        ),
        (["scores", "--from", "2026-12-01", "--to", "2026-01-01"], "--from 2026-12-01 晚于 --to 2026-01-01"),
        (
            ["remind", "--unit", "各市州政府", "--out", str(tmp_path / "催办")],
            "“各市州政府”是集合单位：催办通知按各成员单位分别生成",
        ),
        (["import", str(tmp_path)], f"{tmp_path}：无法读取：是目录"),
    ]
    for args, message in cases:
        result = invoke([*args, "--data", str(data)], "zh")
        assert result.exit_code == 2, args
        assert result.stderr == f"cityplan: 错误: {message}\n", args
    assert kept.read_bytes() == b"other content"
    en = invoke(["import", str(tmp_path / "missing.txt"), "--data", str(data)], "en")
    assert (
        en.stderr == f"cityplan: error: {tmp_path / 'missing.txt'}: cannot read: No such file or directory\n"
    )


# -- quiet after the command -----------------------------------------------------------------------


def test_quiet_may_follow_the_command_as_it_may_precede_it(tmp_path, monkeypatch):
    """`cityplan report -q` as `cityplan -q report`: from a directory without data, the line that
    says the bundled data answers is not printed; `check -q` prints no summary."""
    monkeypatch.chdir(tmp_path)
    for lang in ("zh", "en"):
        loud = invoke(["report", "--as-of", "2026-11-26", "--format", "json"], lang)
        after = invoke(["report", "--as-of", "2026-11-26", "--format", "json", "-q"], lang)
        before = invoke(["-q", "report", "--as-of", "2026-11-26", "--format", "json"], lang)
        long = invoke(["report", "--quiet", "--as-of", "2026-11-26", "--format", "json"], lang)
        assert loud.exit_code == after.exit_code == before.exit_code == long.exit_code == 0, after.output
        assert loud.stderr.startswith("cityplan: ") and loud.stdout == after.stdout
        assert after.stderr == before.stderr == long.stderr == ""
    check = invoke(["check", "-q", "--data", str(DATA)], "zh")
    assert check.exit_code == 0 and check.stdout == check.stderr == ""
    assert "错误 0 个，警告 0 个" in invoke(["check", "--data", str(DATA)], "zh").stderr


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_that_reads_data_takes_quiet(name):
    built = command(name)
    names = {p.name for p in built.params}
    assert ("quiet" in names) == ("data" in names), name
    if "quiet" in names:
        (quiet,) = [p for p in built.params if p.name == "quiet"]
        assert set(quiet.opts) == {"--quiet", "-q"}
        result = invoke([name, "--help"], "zh", COLUMNS="300")
        assert "--quiet" in result.stdout and "除错误外，不在标准错误输出任何提示。" in flat(result.stdout)


def test_check_as_a_file_for_the_office_speaks_chinese(tmp_path):
    """CSV and Markdown are files for the office: the findings in Chinese, as their headings, the
    same under either locale; JSON keeps the English."""
    root = broken_data(tmp_path)
    for fmt in ("csv", "md"):
        en = invoke(["check", "--data", str(root), "--format", fmt], "en")
        zh = invoke(["check", "--data", str(root), "--format", fmt], "zh")
        assert en.exit_code == zh.exit_code == 2 and en.stdout == zh.stdout
        assert "lead：未登记的单位“省公按厅”；是否指：省公安厅" in en.stdout
        assert "unknown unit" not in en.stdout and "error" not in en.stdout
    table = invoke(["check", "--data", str(root), "--format", "csv"], "en").stdout
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff"))))
    assert rows[0] == ["文件", "行", "级别", "问题"]
    assert {r[2] for r in rows[1:]} == {"错误", "警告"}


def test_the_graph_summary_names_every_relation_in_chinese():
    result = invoke(["graph", "--data", str(DATA)], "zh")
    assert result.exit_code == 0
    measures = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert "关系：承接上级任务" in measures
    assert not [m for m in measures if re.search(r"[A-Za-z]", m)], measures


def test_a_message_built_of_parts_is_punctuated_as_the_language_punctuates():
    zh = invoke(["schema", "tsks"], "zh")
    assert zh.exit_code == 2 and zh.stderr == "cityplan: 错误: 没有输出 JSON 的命令“tsks”；是否指：tasks？\n"
    en = invoke(["schema", "tsks"], "en")
    assert en.stderr == "cityplan: error: no command 'tsks' prints JSON; did you mean tasks?\n"
