from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cityplan_cli.cli import app
from cityplan_cli.env import Environment

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tasks"
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
# A copy of the source documents, so the suite runs without shared/ beside the checkout.
SEED = (FIXTURES / "seed.txt").read_text(encoding="utf-8").splitlines()


def seed_lines(first: int, last: int) -> list[str]:
    """Lines first..last of the source documents, numbered from 1 as their README numbers them."""
    return SEED[first - 1 : last]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the bundled data directory, free to edit."""
    target = tmp_path / "tasks"
    shutil.copytree(DATA, target)
    return target


class Run:
    """The real CLI through typer's CliRunner. Set `today` to run on another day than the clock's
    (the environment's today: what `progress` refuses to record beyond)."""

    def __init__(self) -> None:
        self.runner = CliRunner()
        self.today: dt.date | None = None

    def __call__(self, *args: str, code: int | None = 0, data: Path | None = None):
        # Without a data directory of its own, a test reads the bundled data, named as such (run
        # from anywhere else the tool would say on stderr that the bundled data answers).
        argv = [str(a) for a in args]
        if argv and "--data" not in argv:
            argv += ["--data", str(data if data is not None else DATA)]
        env = Environment.current().with_options(today=self.today) if self.today else None
        result = self.runner.invoke(app, argv, obj=env)
        assert code is None or result.exit_code == code, (
            f"exit {result.exit_code} != {code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    def json(self, *args: str, data: Path | None = None):
        return json.loads(self(*args, "--format", "json", data=data).stdout)


@pytest.fixture
def registry_only(tmp_path: Path) -> Path:
    """A data directory with the registry and no documents yet, as for a new plan."""
    root = tmp_path / "data"
    root.mkdir()
    shutil.copy(DATA / "units.toml", root)
    return root


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace one exact piece of a file's text; fails if the piece is not there once."""

    def replace(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return replace


@pytest.fixture(autouse=True)
def english(monkeypatch) -> None:
    """Every test speaks English unless it asks for Chinese, whatever the locale of the machine."""
    from cityplan_cli import i18n

    monkeypatch.setenv("CITYPLAN_LANG", "en")
    i18n.use(None)
    yield
    i18n.use(None)


@pytest.fixture
def chinese(monkeypatch) -> None:
    """The test runs as under a Chinese locale (CITYPLAN_LANG=zh)."""
    from cityplan_cli import i18n

    monkeypatch.setenv("CITYPLAN_LANG", "zh")
    i18n.use(None)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch) -> Path:
    """Each test's query cache in a directory of its own, never the user's."""
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CITYPLAN_CACHE_DIR", str(path))
    return path


def pytest_terminal_summary(terminalreporter) -> None:
    """A plain closing count, the same in every run, for whatever reads the log."""
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    skipped = len(stats.get("skipped", []))
    terminalreporter.write_line(
        f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
    )
