"""typer bundles click and its completion and help rendering as private modules; cityplan relies on a
few of their names (pyproject.toml pins typer below the next minor version for that reason). Each is
checked here, so that a typer that moves one fails this test by name rather than a user's command."""

import importlib

import pytest

USED = [
    ("typer._click", "exceptions"),  # usage errors, said in the tool's words (cli/usage.py)
    ("typer._click.exceptions", "NoArgsIsHelpError"),  # `cityplan` alone prints its help
    ("typer._click.core", "Command"),  # completion of the lazily loaded commands
    ("typer._click.globals", "get_current_context"),  # the run's today, for dates given as words
    ("typer._click.shell_completion", "CompletionItem"),
    ("typer._completion_classes", "completion_init"),
    ("typer._completion_shared", "get_completion_script"),  # `cityplan completion SHELL`
    ("typer._types", "TyperChoice"),  # choices taken by their Chinese labels too
    ("typer.rich_utils", "_make_rich_text"),  # Chinese help folds instead of being cut to "…"
    ("typer.rich_utils", "ARGUMENTS_PANEL_TITLE"),  # the panels' titles, translated
    ("typer.rich_utils", "OPTIONS_PANEL_TITLE"),
    ("typer.rich_utils", "COMMANDS_PANEL_TITLE"),
    ("typer.rich_utils", "DEFAULT_STRING"),
    ("typer.rich_utils", "REQUIRED_LONG_STRING"),
]


@pytest.mark.parametrize(("module", "name"), USED, ids=[f"{m}.{n}" for m, n in USED])
def test_the_typer_internals_cityplan_uses_are_there(module, name):
    found = importlib.import_module(module)
    assert hasattr(found, name), f"typer no longer has {module}.{name}: adapt cityplan or pin typer lower"


def test_every_private_typer_name_in_the_code_is_checked_here():
    """A new use of a typer internal must be added to the list above."""
    import re
    from pathlib import Path

    import cityplan_cli

    listed = {m for m, _ in USED} | {f"{m}.{n}" for m, n in USED}
    src = Path(cityplan_cli.__file__).parent
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for used in re.findall(r"\btyper\.(_[\w.]+)", text):
            assert f"typer.{used}" in listed, f"{path.name}: typer.{used}"
        for used in re.findall(r"\bpanels\.(_\w+)", text):
            assert f"typer.rich_utils.{used}" in listed, f"{path.name}: rich_utils.{used}"
