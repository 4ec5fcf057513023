"""From a query to what each engine must match: words, synonyms, identifiers and pinyin.

    expand("发改委 通知") -> Expansion(clauses=[[["发改委"], ["发展", "改革委"], ...], [["通知"]]], ...)

A query is a list of clauses that must ALL match; a clause matches if ANY of its alternatives does;
an alternative is a list of words that must all be present (or the text as a phrase).
"""

import re
from dataclasses import dataclass, field

from django.core.cache import cache

from search.pinyin import looks_like_pinyin, pinyin_keys
from search.text import normalize, normalize_identifier, query_tokens

SYNONYM_CACHE_KEY = "search:synonyms"
MAX_NAMES = 20
YEAR = re.compile(r"(?:19|20)\d{2}")
DEPARTMENT_PINYIN_CACHE_KEY = "search:department-pinyin"


@dataclass
class Alternative:
    text: str  # as typed (for phrase matching)
    words: list  # jieba words (for word matching)


@dataclass
class Expansion:
    query: str
    clauses: list = field(default_factory=list)  # [[Alternative, ...], ...]
    identifier: str = ""
    pinyin: str = ""  # the query itself when it looks like pinyin
    departments: list = field(default_factory=list)  # slugs whose pinyin the query is
    names: list = field(default_factory=list)  # the query as a whole title (with synonyms swapped in)
    has_year: bool = False  # the query names a year: don't prefer undated titles

    @property
    def words(self):
        """Every word that may match (for highlighting)."""
        return list(dict.fromkeys(w for clause in self.clauses for alt in clause for w in alt.words))

    @property
    def phrases(self):
        return list(dict.fromkeys(alt.text for clause in self.clauses for alt in clause if alt.text))

    def __bool__(self):
        return bool(self.clauses or self.pinyin)


def synonym_groups():
    groups = cache.get(SYNONYM_CACHE_KEY)
    if groups is None:
        from search.models import Synonym

        groups = [s.term_list for s in Synonym.objects.all() if len(s.term_list) > 1]
        cache.set(SYNONYM_CACHE_KEY, groups, 300)
    return groups


def department_pinyin():
    """{pinyin key: [department slug, ...]} for every department."""
    table = cache.get(DEPARTMENT_PINYIN_CACHE_KEY)
    if table is None:
        from cms.core.models import Department

        table = {}
        for department in Department.objects.all():
            for key in pinyin_keys(department.name, department.short_name) + [department.slug]:
                table.setdefault(key, []).append(department.slug)
        cache.set(DEPARTMENT_PINYIN_CACHE_KEY, table, 300)
    return table


def forget_caches():
    cache.delete_many([SYNONYM_CACHE_KEY, DEPARTMENT_PINYIN_CACHE_KEY])


def expand(query):
    query = normalize(query).strip()
    expansion = Expansion(query=query, identifier=normalize_identifier(query) if query else "")
    if not query:
        return expansion
    lowered = query.lower()
    remaining = list(query_tokens(query))
    names = {query}
    expansion.has_year = bool(YEAR.search(query))
    for group in synonym_groups():
        present = [term for term in group if term in lowered]
        if not present:
            continue
        for name in list(names):  # bounded: a query naming many groups must not multiply out
            for term in present:
                for other in group:
                    if len(names) < MAX_NAMES:
                        names.add(name.replace(term, other))
        covered = set()
        for term in present:
            covered.update(query_tokens(term))
        remaining = [w for w in remaining if w not in covered]
        alternatives = [Alternative(term, query_tokens(term)) for term in group if query_tokens(term)]
        if alternatives:
            expansion.clauses.append(alternatives)
    expansion.clauses.extend([Alternative(word, [word])] for word in remaining)
    expansion.names = sorted(names)[:MAX_NAMES]
    if looks_like_pinyin(lowered):
        expansion.pinyin = lowered
        expansion.departments = department_pinyin().get(lowered, [])
    return expansion


def is_dated(title):
    """A title that starts with a year (2023年度户籍人口统计) is one period's snapshot."""
    return bool(DATED.match(title))


DATED = re.compile(r"^(?:19|20)\d{2}年")
