"""Which data directory a command reads, and its index.

In order, as git finds its repository: `--data DIR`; `$CITYPLAN_DATA`; the current directory or the
nearest parent holding `units.toml`, or a `tasks/` holding one; else the dataset bundled inside the
package, and then stderr says so. The bundled data is never written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cityplan_cli.errors import CityplanError
from cityplan_cli.i18n import _
from cityplan_cli.layout import UNITS_FILE

if TYPE_CHECKING:
    from cityplan_cli.env import Environment
    from cityplan_cli.index import Index
    from cityplan_cli.model import Dataset


def bundled() -> Path:
    """The dataset shipped inside the package (wheels carry `tasks/` as `cityplan_cli/data`)."""
    packaged = Path(__file__).with_name("data")
    if packaged.is_dir():
        return packaged
    # An editable install runs from the source tree, where the data sits at the top as tasks/.
    return Path(__file__).resolve().parents[2] / "tasks"


def is_bundled(root: Path) -> bool:
    return root.resolve() == bundled().resolve()


def find(env: Environment, option: Path | None) -> Path:
    """The data directory: see the module's docstring."""
    given = option or env.data
    source = "--data"
    if given is None and env.get("CITYPLAN_DATA"):
        given, source = Path(env.get("CITYPLAN_DATA") or ""), "$CITYPLAN_DATA"
    if given is not None:
        path = given if given.is_absolute() else env.cwd / given
        if not path.is_dir():
            raise CityplanError(
                _("{source}: '{given}' is not a directory").format(source=source, given=given)
            )
        return given
    here = env.cwd.resolve()
    for folder in (here, *here.parents):
        for candidate in (folder, folder / "tasks"):
            if (candidate / UNITS_FILE).is_file() and not is_bundled(candidate):
                return candidate
    root = bundled()
    env.note(
        _("no data directory here or above {here}: answering from the bundled example data ({root})").format(
            here=here, root=root
        )
    )
    return root


def writable(root: Path) -> Path:
    """`root`, unless it is the bundled dataset, which is not the user's to change."""
    if is_bundled(root):
        raise CityplanError(
            _(
                "this changes data, and the data here is the bundled example: give your own data directory "
                "(--data DIR, $CITYPLAN_DATA, or run inside a directory holding units.toml)"
            )
        )
    return root


def open_index(env: Environment, option: Path | None = None, no_cache: bool = False) -> Index:
    """The data directory's index, up to date; DataError when any file has an error."""
    index = load_index(env, option, no_cache)
    index.check_errors()
    return index


def load_index(env: Environment, option: Path | None = None, no_cache: bool = False) -> Index:
    """The index, errors or not (for `check`)."""
    root = find(env, option)
    if no_cache or env.get("CITYPLAN_NO_CACHE"):
        from cityplan_cli.index import Index

        return Index.in_memory(root)
    from cityplan_cli.cache import open_index as stored

    return stored(root, env.warn, env.get("CITYPLAN_CACHE_DIR"))


def open_dataset(env: Environment, option: Path | None = None, no_cache: bool = False) -> Dataset:
    return open_index(env, option, no_cache).dataset()
