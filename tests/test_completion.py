"""Shell completion through the protocol the shells' scripts speak: bash (COMP_WORDS, COMP_CWORD;
the instruction spelled typer's way or click's), zsh and fish (_TYPER_COMPLETE_ARGS), answered
from the real data's index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cityplan_cli.cli import COMMANDS, app
from conftest import DATA

RUNNER = CliRunner()


def complete(shell: str, words: str, *, spelling: str = "typer") -> list[str]:
    """The candidates the shell would be given for the last word of `words` (a trailing space: a
    new word), through the app's own entry point."""
    instruction = f"complete_{shell}" if spelling == "typer" else f"{shell}_complete"
    env = {"_CITYPLAN_COMPLETE": instruction}
    if shell == "bash":
        parts = words.split(" ")
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = RUNNER.invoke(app, [], env=env, prog_name="cityplan")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    return values(shell, result.stdout)


def values(shell: str, out: str) -> list[str]:
    if shell == "bash":
        return out.split()
    if shell == "fish":  # value<TAB>help, a line each
        return [line.split("\t")[0] for line in out.splitlines() if line]
    # zsh: _arguments '*: :(("value":"help" …))'
    import re

    return re.findall(r'(?:\(\(|\n)"([^"]*)"', out)


SHELLS = ["bash", "zsh", "fish"]
D = f"--data {DATA}"


@pytest.mark.parametrize("shell", SHELLS)
def test_command_names(shell):
    assert complete(shell, "cityplan du") == ["duties"]
    assert set(complete(shell, "cityplan ")) >= {"tasks", "duties", "schema", "completion"}
    assert set(complete(shell, "cityplan ")) >= set(COMMANDS)


@pytest.mark.parametrize("shell", SHELLS)
def test_option_names(shell):
    assert set(complete(shell, "cityplan tasks --d")) == {"--doc", "--due-before", "--data"}
    assert "--history" in complete(shell, "cityplan show --h")
    assert complete(shell, "cityplan schema re") == ["report"]  # the commands that print JSON


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("duties 省住", {"省住建厅"}),  # a canonical name
        ("duties 甘肃省住", {"甘肃省住建厅", "甘肃省住房和城乡建设厅"}),  # an alias, a full name
        ("checklist 金昌市政府办", {"金昌市政府办公室", "金昌市政府办公室信息公开科"}),
        ("units 兰州新", {"兰州新区管委会"}),
        ("tasks --unit 各市", {"各市州政府"}),
        ("progress gzf-2024-57-26 --unit 金昌市人", {"金昌市人民政府", "金昌市人民政府办公室"}),
        ("assign gzf-2023-73-01 --lead 省工", {"省工信厅"}),
    ],
)
def test_unit_names_and_aliases(shell, words, expected):
    assert set(complete(shell, f"cityplan {D} {words}")) >= expected


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("command", ["show", "progress", "assign"])
def test_task_ids(shell, command):
    found = complete(shell, f"cityplan {D} {command} gzf-2024-57-2")
    assert found[:3] == ["gzf-2024-57-20", "gzf-2024-57-21", "gzf-2024-57-22"]
    assert len(found) == 10  # 20 to 29


@pytest.mark.parametrize("shell", SHELLS)
def test_task_ids_typed_in_capitals(shell):
    found = complete(shell, f"cityplan {D} show GZF-2024-57-2")
    assert found[:3] == ["GZF-2024-57-20", "GZF-2024-57-21", "GZF-2024-57-22"]


@pytest.mark.parametrize("shell", SHELLS)
def test_documents(shell):
    assert complete(shell, f"cityplan {D} tasks --doc gzf") == ["gzf-2023-73", "gzf-2024-57"]
    assert complete(shell, f"cityplan {D} duties 省住建厅 --doc 甘政发") == [
        "甘政发〔2023〕73号",
        "甘政发〔2024〕57号",
    ]


def test_data_given_after_the_command_and_hand_written_units(tmp_path):
    data = tmp_path / "mine"
    shutil.copytree(DATA, data)
    units = data / "units.toml"
    units.write_text(
        units.read_text(encoding="utf-8") + '\n[[units]]\nname = "测试县政府"\nfull_name = "测试县人民政府"\n'
        'kind = "县区政府"\n',
        encoding="utf-8",
    )
    assert complete("bash", f"cityplan duties --data {data} 测试") == ["测试县政府", "测试县人民政府"]
    assert complete("bash", "cityplan duties 测试") == []  # elsewhere, the bundled data has none


@pytest.mark.parametrize("spelling", ["typer", "click"])
def test_bash_both_spellings_of_the_instruction(spelling):
    assert complete("bash", f"cityplan {D} duties 省住", spelling=spelling) == ["省住建厅"]


def test_no_data_or_broken_data_offers_nothing_and_says_nothing(tmp_path):
    assert complete("bash", f"cityplan --data {tmp_path / 'missing'} duties 省") == []
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "units.toml").write_text("[[units]\nname = ", encoding="utf-8")
    (broken / "a.toml").write_bytes(b"\xff\xfe\x00garbage")
    assert complete("zsh", f"cityplan --data {broken} show g") == []
    assert complete("fish", f"cityplan --data {broken} duties 省") == []


def test_completion_prints_each_shells_script():
    for shell, says in [
        ("bash", "complete -o default -F _cityplan_completion cityplan"),
        ("zsh", "compdef _cityplan_completion cityplan"),
        ("fish", "complete --command cityplan"),
    ]:
        result = RUNNER.invoke(app, ["completion", shell])
        assert result.exit_code == 0 and says in result.stdout, shell
    result = RUNNER.invoke(app, ["completion", "tcsh"])
    assert result.exit_code == 2
    assert result.stderr.startswith("cityplan: error: ")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_in_bash(tmp_path):
    """The script as a user loads it, asked by bash itself, with the installed program."""
    program = Path(sys.executable).parent / "cityplan"
    script = (
        f'source <("{program}" completion bash)\n'
        f"COMP_WORDS=(cityplan --data {DATA} show gzf-2024-57-3); COMP_CWORD=4\n"
        f'_cityplan_completion "{program}"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.split() == [f"gzf-2024-57-3{i}" for i in range(10)]
    assert done.stderr == ""


def test_a_completion_answers_from_the_index_without_reading_the_files(tmp_path):
    """Once the index is kept, a completion loads no TOML parser and no other command."""
    code = (
        "import os, sys\n"
        "os.environ.update({'_CITYPLAN_COMPLETE': 'complete_bash', 'COMP_CWORD': '2',\n"
        "    'COMP_WORDS': 'cityplan duties 省住 --data ' + sys.argv[1]})\n"
        "from cityplan_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tomli', 'tomllib', 'tomlkit', "
        "'cityplan_cli.load', 'networkx', 'cityplan_cli.cli.'))), file=sys.stderr)\n"
    )
    env = {**os.environ, "CITYPLAN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CITYPLAN_NO_CACHE", None)
    runs = [
        subprocess.run([sys.executable, "-c", code, str(DATA)], capture_output=True, text=True, env=env)
        for _ in range(2)
    ]
    assert [r.stdout.split() for r in runs] == [["省住建厅"], ["省住建厅"]]
    assert "tomli" in runs[0].stderr  # the first builds the index
    loaded = runs[1].stderr.strip()
    assert loaded == str(
        [
            "cityplan_cli.cli.complete",
            "cityplan_cli.cli.duties",
            "cityplan_cli.cli.options",
            "cityplan_cli.cli.output",
        ]
    )
