"""The language of what the terminal shows: help, messages, table headings, the lines on stderr.

Messages are written in English in the code, wrapped in `_()` (`ngettext()` where a count chooses
the English form; or marked with `N_()` where they are built before the language is known, and
translated where they are shown); the Chinese is in the gettext catalog
`locale/zh/LC_MESSAGES/cityplan.po`, compiled to the `.mo` beside it. The language is chosen once a
run, from the environment: `CITYPLAN_LANG` (zh or en) wins, else the first of `LC_ALL`, `LC_MESSAGES`
and `LANG` that is set, as POSIX reads them; Chinese when it names zh, else English.
The catalog is read only when a Chinese message is first wanted: English costs nothing.

Documents (checklists, the ledger, the weekly report, notices) are 公文 and always Chinese; the only
pieces of them that come from here are the column headings they share with the terminal's tables,
through `chinese()`.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "cityplan"
LOCALE_DIR = Path(__file__).parent / "locale"

_language: str | None = None  # None: not chosen yet (read from os.environ at first use)
_catalogs: dict[str, _gettext.NullTranslations] = {}


def language_of(variables: Mapping[str, str]) -> str:
    """'zh' or 'en', from the variables of an environment."""
    chosen = variables.get("CITYPLAN_LANG") or ""
    if not chosen:
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            if variables.get(name):
                chosen = variables[name]
                break
    return "zh" if chosen.strip().lower().startswith("zh") else "en"


def use(language: str | None) -> None:
    """Speak `language` ('zh' or 'en') from now on; None: as the environment says, when next asked."""
    global _language
    _language = language


def language() -> str:
    """'zh' or 'en': the language of the run."""
    global _language
    if _language is None:
        import os

        _language = language_of(os.environ)
    return _language


def _catalog(lang: str) -> _gettext.NullTranslations:
    catalog = _catalogs.get(lang)
    if catalog is None:
        catalog = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
        _catalogs[lang] = catalog
    return catalog


def _(message: str) -> str:
    """`message` in the language of the run."""
    if not message or language() == "en":
        return message
    return _catalog("zh").gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that fits the count `n`, in the language of the run (Chinese has one)."""
    if language() == "en":
        return singular if n == 1 else plural
    return _catalog("zh").ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; `_()` translates it where it is shown."""
    return message


def chinese(message: str) -> str:
    """`message` in Chinese whatever the run's language: for the documents."""
    return _catalog("zh").gettext(message)


def extract(fileobj, keywords, comment_tags, options):  # type: ignore[no-untyped-def]
    """Babel's extraction of a module of the command line (`make messages`): the messages marked
    with `_()` and `N_()`, and the docstring of the command's function, which is its help."""
    import ast
    import inspect

    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    command = Path(getattr(fileobj, "name", "")).stem  # the module `import_` holds the command `import_`
    for node in ast.parse(fileobj.read()).body:
        if isinstance(node, ast.FunctionDef) and node.name == command:
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.lineno, None, inspect.cleandoc(doc), []
