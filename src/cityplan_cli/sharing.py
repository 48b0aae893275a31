"""A data directory shared through git: the files `cityplan init` starts one with, and the CODEOWNERS
file that gives each unit's progress records to its own team.

Why records merge: a clone writes its progress records to files of its own, one per unit,
`progress/UNIT/COPY.toml`, COPY being the clone's own id (kept in its `.cityplan/`, which git never
sees). No file is ever changed by two clones, so git merges what two clones record for the same unit
on the same day without a conflict, whichever way it merges (merge, rebase, a server's merge button),
with no merge driver to configure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from cityplan_cli.layout import PROGRESS_DIR, SETTINGS_FILE, STATE_DIR, UNITS_FILE, progress_stem
from cityplan_cli.model import Unit

UNITS_SKELETON = """\
# 单位名册(unit registry). Every unit the documents name, by its short name, with its other names.
# Uncomment and fill in; `cityplan check` says what is missing. See README (The unit registry).

# [[units]]
# name = "省住建厅"                       # the short name documents use; the one output prints
# full_name = "甘肃省住房和城乡建设厅"      # the official name
# kind = "省直部门"                       # its peer group: 省直部门, 市州政府, 管委会 …
# aliases = ["省住房城乡建设厅"]           # other names people type
# team = "@gansu-gov/zjt"                 # the git server team that records its progress (codeowners)
#
# [[collectives]]                         # a name that stands for several units
# name = "各市州政府"
# members = ["兰州市政府", "嘉峪关市政府", "金昌市政府"]
"""

SETTINGS_SKELETON = """\
# cityplan settings. Every value here is the default; change what your office decides otherwise.

[weights]          # a unit's load is the weighted count of its duties
lead = 2           # 牵头
support = 1        # 配合
local = 1          # 落实

[capacity]         # per kind: the load above which a unit of that kind is overloaded (none by default)
# "市州政府" = 40

[lights]           # the weekly report's lights
due_soon_days = 14 # yellow when due within this many days
stale_days = 14    # yellow when not updated for more than this many days

[tracking]
done_when = "lead" # a task is done when its leads report done ("lead"), or every owner ("all")

[supervision]      # 督查督办
# supervisor = "省政府督查室"  # for every document that names none (default: its issuer's office)
ack_days = 5       # working days from assignment within which owners acknowledge a task (签收)

[scores]           # 考评: the weights of the on-time, 签收 and feedback rates in a unit's score
completion = 0.5
ack = 0.2
feedback = 0.3
"""

GITIGNORE = f"""\
# cityplan: what never belongs in the shared data.
# Its own folder (locks, this clone's id); the folder also ignores itself.
{STATE_DIR}/
# A write interrupted before its rename leaves .NAME.RANDOM.tmp beside the file.
.*.tmp
# Locks of earlier versions of cityplan, beside their files.
.*.lock
"""

GITATTRIBUTES = """\
# cityplan: the data is UTF-8 text with LF line endings on every platform, so that a clone on
# Windows does not rewrite every line. Progress records need no merge driver: each clone writes its
# own files (progress/UNIT/COPY.toml), so no file is ever changed on both sides of a merge.
*.toml text eol=lf
*.txt text eol=lf
"""

INIT_FILES = {
    UNITS_FILE: UNITS_SKELETON,
    SETTINGS_FILE: SETTINGS_SKELETON,
    ".gitignore": GITIGNORE,
    ".gitattributes": GITATTRIBUTES,
}

# A team or user as GitHub and GitLab write them (@org/team, @user, @group/sub/team), or an e-mail.
HANDLE = re.compile(r"@[\w.-]+(?:/[\w.-]+)*|[^@\s]+@[^@\s]+\.[^@\s]+")


def repository_root(folder: Path) -> Path | None:
    """The git work tree holding `folder` (the nearest parent with a .git), or None."""
    here = folder.resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def codeowners(units: Iterable[Unit], prefix: str) -> tuple[str, list[str], list[str]]:
    """The CODEOWNERS text giving each unit's progress folder (and its older single file) to its
    team; `prefix` is the data directory's path within the repository ("" at its root). Also the
    units without a team, and those whose `team` is not a handle (left out)."""
    lines = [
        "# 由 cityplan codeowners 生成：每个单位的进展记录只由本单位的团队修改。",
        "# 依据 units.toml 中各单位的 team 生成；单位有变动时请重新生成。",
        "",
    ]
    missing, invalid = [], []
    base = f"/{prefix}/" if prefix else "/"
    for unit in units:
        if unit.is_collective:  # a collective does not record: its members do
            continue
        if not unit.team:
            missing.append(unit.name)
            continue
        if not HANDLE.fullmatch(unit.team):
            invalid.append(unit.name)
            continue
        path = _escape(f"{base}{PROGRESS_DIR}/{progress_stem(unit.name)}")
        lines += [f"{path}/ {unit.team}", f"{path}.toml {unit.team}"]
    return "\n".join(lines) + "\n", missing, invalid


def _escape(path: str) -> str:
    """A path as a CODEOWNERS pattern (gitignore syntax): spaces and pattern characters escaped."""
    return re.sub(r"([\\ #!\[\]*?])", r"\\\1", path)
