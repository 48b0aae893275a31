"""`cityplan codeowners`: a CODEOWNERS file giving each unit's progress records to its team."""

from __future__ import annotations

import typer

from cityplan_cli.cli.options import DataOpt, OutOpt
from cityplan_cli.cli.output import emit, environment
from cityplan_cli.i18n import _, ngettext


def codeowners(
    ctx: typer.Context,
    out: OutOpt = None,
    data: DataOpt = None,
) -> None:
    """Write CODEOWNERS: each unit's progress folder (progress/UNIT/, and its older file
    progress/UNIT.toml) owned by the team `team = "@org/team"` gives it in units.toml, so that a git
    server enforcing code owners lets only a unit's own staff change its records. Paths are from the
    repository's root (the data directory may be a folder in it). Units without a team are listed on
    stderr. Put the file where your server reads it (.github/CODEOWNERS, CODEOWNERS or docs/).

    Example: cityplan codeowners --out .github/CODEOWNERS
    """
    from cityplan_cli.datadir import open_index
    from cityplan_cli.errors import listing
    from cityplan_cli.sharing import codeowners as owners
    from cityplan_cli.sharing import repository_root

    env = environment(ctx)
    ix = open_index(env, data)
    root = ix.root if ix.root.is_absolute() else env.cwd / ix.root
    repo = repository_root(root)
    prefix = root.resolve().relative_to(repo).as_posix() if repo else ""
    text, missing, invalid = owners(ix.registry(), "" if prefix == "." else prefix)
    emit(env, text, out)
    if missing:
        typer.echo(
            ngettext(
                "cityplan: no team for {count} unit: {units}",
                "cityplan: no team for {count} units: {units}",
                len(missing),
            ).format(count=len(missing), units=listing(missing)),
            err=True,
        )
    if invalid:
        typer.echo(
            _("cityplan: not a team handle (@org/team) for: {units}").format(units=listing(invalid)),
            err=True,
        )
