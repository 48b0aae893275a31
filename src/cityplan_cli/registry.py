"""Unit names: canonical short names, full names, aliases, nameplates and collectives.

Every place that turns a name someone typed (or a document stated) into a unit goes through
`Registry.resolve`, so `甘肃省住房和城乡建设厅`, `省住建厅` and `省政府办公厅〔省数据局〕` all land on
the one unit they mean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

from cityplan_cli.model import Unit

# Nameplate brackets as documents and keyboards write them: 〔〕, 【】, [] and full-width ［］.
PLATE = re.compile(r"^(?P<base>.+?)[〔【\[［](?P<plate>[^〕】\]］]+)[〕】\]］]$")


# White space, and what cannot be seen: control, zero-width and bidirectional characters. A name
# typed with any of them means the name without them (`check` refuses them in the data).
_INVISIBLE = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]+"
)


def normalize(name: str) -> str:
    """Fold full-width ASCII (NFKC) and drop white space and invisible characters; Chinese is left
    as it is."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))


class Registry:
    def __init__(self) -> None:
        self._units: dict[str, Unit] = {}
        self._index: dict[str, str] = {}  # normalized name → canonical name

    def add(self, unit: Unit) -> list[tuple[str, str]]:
        """Register a unit; returns (name, other unit) for each of its names already taken."""
        clashes = []
        self._units[unit.name] = unit
        names = (unit.name, unit.full_name, *unit.aliases, *unit.nameplates)
        for raw in dict.fromkeys(normalize(n) for n in names if n):
            owner = self._index.setdefault(raw, unit.name)
            if owner != unit.name:
                clashes.append((raw, owner))
        return clashes

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, name: object) -> bool:
        return name in self._units

    def get(self, name: str) -> Unit:
        return self._units[name]

    def resolve(self, name: str) -> str | None:
        """The canonical name of the unit `name` means, or None."""
        if name in self._units:  # most names in the data are short names already
            return name
        return resolve_name(self._index, name)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """The registered units whose names come closest to `name`, best first."""
        return closest_units(name, self._index, limit)

    @property
    def names(self) -> dict[str, str]:
        """Every name a unit is known by (normalized) → its canonical name."""
        return dict(self._index)

    def kinds_of(self, name: str, _seen: frozenset[str] = frozenset()) -> set[str]:
        """The unit's kind, or for a collective the kinds of its members, nested ones included."""
        unit = self._units[name]
        if not unit.is_collective:
            return {unit.kind}
        members = {self.resolve(m) for m in unit.members} - {None} - _seen - {name}
        return set().union(*(self.kinds_of(m, _seen | {name}) for m in members if m is not None))


def resolve_name(index: Mapping[str, str], name: str) -> str | None:
    """The canonical name `name` stands for in `index` (normalized name → canonical): by any of its
    names, or as 名称〔牌子〕 where both are names of one unit."""
    key = normalize(name)
    if key in index:
        return index[key]
    m = PLATE.match(key)
    if m:
        base = index.get(m["base"])
        if base is not None and index.get(m["plate"]) == base:
            return base
    return None


def closest_units(name: str, index: dict[str, str], limit: int = 3) -> list[str]:
    """The canonical names whose names in `index` (normalized name → canonical) come closest."""
    from cityplan_cli.errors import closest

    # Several names of one unit may come close: look further, and give each unit once.
    found = dict.fromkeys(index[m] for m in closest(normalize(name), list(index), limit * 4, cutoff=50))
    return list(found)[:limit]


def unknown_unit_text(name: str, close: list[str]) -> str:
    """The message for a unit nobody registered, for a command's error, in the language of the run;
    the loader's findings are `unknown_unit_message`."""
    from cityplan_cli.errors import did_you_mean
    from cityplan_cli.i18n import _

    return _("unknown unit '{name}'").format(name=name) + did_you_mean(close)


def unknown_unit_message(registry: Registry, name: str, field: str = "") -> str:
    """The finding of `field` naming a unit nobody registered, with the closest registered names."""
    from cityplan_cli.errors import Finding
    from cityplan_cli.i18n import N_

    close = registry.suggest(name)
    if not field:
        if close:
            return Finding(N_("unknown unit '{name}'; did you mean {close}?"), name=name, close=close)
        return Finding(N_("unknown unit '{name}'"), name=name)
    if close:
        return Finding(
            N_("{field}: unknown unit '{name}'; did you mean {close}?"),
            field=field,
            name=name,
            close=close,
        )
    return Finding(N_("{field}: unknown unit '{name}'"), field=field, name=name)
