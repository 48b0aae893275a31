"""The names a data directory's files go by: fixed, so every part of the program agrees on them."""

UNITS_FILE = "units.toml"  # the unit registry
SETTINGS_FILE = "cityplan.toml"  # the settings
PROGRESS_DIR = "progress"  # progress records: progress/UNIT/COPY.toml, a file per unit and clone
STATE_DIR = ".cityplan"  # this program's own files in a data directory (locks): ignored by git
SEP = "\x1f"  # between unit names kept in one column: a control character, never part of a name


def progress_stem(unit: str) -> str:
    """The name of a unit's progress folder (and of its older single file, STEM.toml): the unit's
    name made safe as a file name. Its records belong there, where CODEOWNERS gives them to its team."""
    from cityplan_cli.files import safe_names

    return safe_names([unit])[unit]
