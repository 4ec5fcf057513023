"""Pinyin keys for names, so ``czj`` or ``caizhengju`` finds 市财政局 (typed without an IME).

    pinyin_keys("济源市财政局") -> ["jiyuanshicaizhengju", "jysczj", "shicaizhengju", "sczj",
                                   "caizhengju", "czj"]

Keys are made for the whole name and for it without the place prefix (济源市, 市), since people
type the part they say aloud.
"""

import functools
import re

from pypinyin import Style, lazy_pinyin

from search.text import title_names

PINYIN_QUERY = re.compile(r"^[a-z]{2,40}$")


@functools.lru_cache(maxsize=65536)  # names repeat (每个部门、每个乡镇): pypinyin is the slow part
def _keys(name):
    syllables = [s for s in lazy_pinyin(name, errors="ignore") if s.isalpha()]
    initials = [s[0] for s in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore") if s.isalpha()]
    return ("".join(syllables).lower(), "".join(initials).lower())


def pinyin_keys(*names):
    keys = []
    for name in names:
        for variant in title_names((name or "").strip()):
            keys.extend(k for k in _keys(variant) if len(k) >= 2)
    return list(dict.fromkeys(keys))


def looks_like_pinyin(query):
    """A query of only Latin letters (no spaces), as typed for pinyin or initials."""
    return bool(PINYIN_QUERY.match(query.lower()))
