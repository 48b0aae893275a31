"""The names a data directory's files go by: fixed, so every part of the program agrees on them."""

UNITS_FILE = "units.toml"  # the unit registry
SETTINGS_FILE = "cityplan.toml"  # the settings
PROGRESS_DIR = "progress"  # one file of progress records per unit
SEP = "\x1f"  # between unit names kept in one column: a control character, never part of a name
