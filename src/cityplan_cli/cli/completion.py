"""`cityplan completion SHELL`: the script that makes a shell complete cityplan's command lines."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from cityplan_cli.cli.output import emit, environment
from cityplan_cli.i18n import N_


class Shell(str, enum.Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def completion(
    ctx: typer.Context,
    shell: Annotated[Shell, typer.Argument(help=N_("bash, zsh or fish."))],
) -> None:
    """Print the completion script for a shell: commands, options, unit names (every name and
    alias), task ids and documents, answered from the index. Load it from the shell's start-up file.

    bash, in ~/.bashrc: eval "$(cityplan completion bash)"

    zsh, in ~/.zshrc after compinit: eval "$(cityplan completion zsh)"

    fish: cityplan completion fish > ~/.config/fish/completions/cityplan.fish

    Example: eval "$(cityplan completion bash)"
    """
    from typer._completion_shared import get_completion_script

    script = get_completion_script(prog_name="cityplan", complete_var="_CITYPLAN_COMPLETE", shell=shell.value)
    emit(environment(ctx), script.rstrip("\n") + "\n")
