"""Chinese word segmentation for search, shared by the database backend and Elasticsearch.

jieba's dictionary (plus the portal's domain words in ``dict.txt``) is loaded once per
process, on first use, without jieba's chatter on stderr.

    segment("济源市政府采购")    -> "济源 济源市 市政 政府 市政府 采购"   (for indexing)
    tokens("济源市政府采购")     -> ["济源", "济源市", "市政", ...]      (same words, as a list)
    query_tokens("政府采购 公告") -> ["政府", "采购", "公告"]            (for matching/highlighting)

Every token is a run of letters, digits or CJK characters, lower-cased: no quotes, operators or
punctuation ever reach FTS5, tsquery or Elasticsearch query syntax.
"""

import logging
import re
import threading
import unicodedata
from pathlib import Path

import jieba

USER_DICT = Path(__file__).with_name("dict.txt")
MAX_QUERY_TOKENS = 32
# Words too common to narrow a query, and the operators people type out of habit ("采购 AND
# 公开"): dropped from queries unless nothing else is left.
QUERY_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "之",
        "在",
        "是",
        "对",
        "把",
        "被",
        "等",
        "关于",
        "and",
        "or",
        "not",
        "near",
    ]
)

_WORD = re.compile(r"[^\W_]+")  # letters, digits, CJK; punctuation, symbols and "_" separate
_lock = threading.Lock()
_tokenizer = None


def get_tokenizer():
    """The process-wide jieba tokenizer with the domain dictionary (loaded once, quietly)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(USER_DICT))
                _tokenizer = tokenizer
    return _tokenizer


def normalize(text):
    """Full-width forms to ASCII (ＡＢＣ１２ -> ABC12) and invalid characters dropped."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", str(text))


def _clean(word):
    return [part.lower() for part in _WORD.findall(word)]


def tokens(text):
    """All search-mode words of ``text`` in order, repeats kept (for indexing)."""
    text = normalize(text)
    if not text:
        return []
    return [part for word in get_tokenizer().cut_for_search(text) for part in _clean(word)]


def segment(text):
    """``text`` as space-separated words, ready for a whitespace tokenizer."""
    return " ".join(tokens(text))


def query_tokens(text):
    """The words a query must match, deduplicated, at most MAX_QUERY_TOKENS.

    Search mode yields a long word and its parts (政府, 采购, 政府采购); a word wholly covered
    by its parts is left out, so 政府采购 also finds "市政府采购" (segmented 市政府 / 采购).
    """
    text = normalize(text)
    if not text.strip():
        return []
    spans = [(w, s, e) for w, s, e in get_tokenizer().tokenize(text, mode="search") if _WORD.search(w)]
    kept = []
    for word, start, end in spans:
        covered = set()
        for _, s, e in spans:
            if start <= s and e <= end and (e - s) < (end - start):
                covered.update(range(s, e))
        if end - start > 1 and covered >= set(range(start, end)):
            continue
        kept.extend(_clean(word))
    unique = list(dict.fromkeys(kept))
    meaningful = [t for t in unique if t not in QUERY_STOPWORDS]
    return (meaningful or unique)[:MAX_QUERY_TOKENS]


def plain_text(page):
    """The readable text of a page: its summary/description and its StreamField body."""
    parts = [getattr(page, "summary", "") or getattr(page, "search_description", "") or ""]
    body = getattr(page, "body", None)
    if body:
        field = page._meta.get_field("body")
        parts.extend(field.get_searchable_content(body))
    return "\n".join(p for p in parts if p).strip()


_OPENING = str.maketrans(
    dict.fromkeys("[(【﹝〖［（", "〔")
    | dict.fromkeys("])】﹞〗］）", "〕")
    | dict.fromkeys("‐‑‒–—―−﹣", "-")  # noqa: RUF001 - the dashes people paste
)


def normalize_identifier(value):
    """One spelling for document numbers, index numbers, resource codes and project numbers:
    full-width to ASCII, any bracket around the year to 〔〕, any dash to "-", no spaces.
    济政[2025]12号 and 济政（2025）12号 both become 济政〔2025〕12号, the form the documents are
    published with; JYCG—2026—0001 (a word processor's dashes) becomes JYCG-2026-0001."""
    value = unicodedata.normalize("NFKC", str(value or "")).translate(_OPENING)
    return "".join(value.split()).upper()


PLACE_PREFIXES = ("济源市", "济源", "市")


def title_names(title):
    """A name and its forms without the place prefix (济源市财政局 → 财政局, 市财政局): what people type."""
    names = [title]
    names += [title[len(p) :] for p in PLACE_PREFIXES if title.startswith(p) and len(title) > len(p)]
    return names
