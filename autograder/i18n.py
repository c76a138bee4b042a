"""Student-facing text in English or Korean, through gettext catalogs (msgids are the English).

Records keep English; outputs translate when they render. `translate` finds a text in the
catalog as a whole, or as an instance of a catalog template with `{name}` fields ("the loss of
{function} is not correct: {observed}"), whose fields are translated in turn. A text the
catalog does not know stays English.

Catalogs: autograder/locale/<lang>/LC_MESSAGES/autograder.po/.mo, extracted and compiled with
Babel (docs/translating.md); common/autograder-ko.mo is the copy students receive beside
publiccheck.py.
"""
from __future__ import annotations

import functools
import gettext
import re
from pathlib import Path

DOMAIN = "autograder"
LANGUAGES = ("en", "ko")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_FIELD = re.compile(r"\{([a-z_]+)\}")


def N_(text: str) -> str:
    """Marks a string for extraction; translated later, where it is shown."""
    return text


@functools.lru_cache(maxsize=None)
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (English: none, msgids are English)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, [lang], fallback=True)


@functools.lru_cache(maxsize=None)
def _templates(lang: str) -> tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]:
    """(pattern, msgid, fields) for each msgid with fields; the longest literal text first."""
    found = []
    for msgid in getattr(catalog(lang), "_catalog", {}):
        if not isinstance(msgid, str) or "{" not in msgid:
            continue
        fields = tuple(_FIELD.findall(msgid))
        if not fields:
            continue
        parts = _FIELD.split(msgid)
        regex = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts))
        found.append((re.compile(f"^{regex}$", re.S), msgid, fields))
    found.sort(key=lambda t: -len(_FIELD.sub("", t[1])))
    return tuple(found)


def gettext_for(lang: str):  # type: ignore[no-untyped-def]
    """A `_` for one language: exact catalog lookup."""
    return catalog(lang).gettext


def translate(text: str, lang: str = "en", _depth: int = 0) -> str:
    """`text` in `lang`: a catalog entry, an instance of a catalog template, or unchanged."""
    if lang == "en" or not text:
        return text
    found = catalog(lang).gettext(text)
    if found != text or _depth > 3:
        return found
    for pattern, msgid, fields in _templates(lang):
        match = pattern.match(text)
        if match:
            values = {f: translate(v, lang, _depth + 1) for f, v in zip(fields, match.groups())}
            return catalog(lang).gettext(msgid).format(**values)
    return text


def html_lang(lang: str) -> str:
    """The page's lang attribute."""
    return lang if lang in LANGUAGES else "en"
