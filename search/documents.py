"""The Elasticsearch index of the site search: one document per SearchEntry, every kind together.

Analysis uses ONLY components built into Elasticsearch's server module, so the same mapping runs on
the minimal ``integ-test-zip`` distribution and on any Elasticsearch 8 cluster (no analysis-common:
no whitespace/keyword *tokenizers*, no ngram, no cjk_bigram, no smartcn/ik plugins):

* ``title_words`` / ``words``: text segmented into words in Python by jieba (search.text.segment),
  indexed with the built-in ``whitespace`` analyzer: the precise match;
* ``title`` / ``text``: the raw text with the ``standard`` analyzer, which splits CJK into single
  characters: the recall net, and what highlighting marks up;
* ``title.shingles`` / ``text.shingles``: standard tokenizer + lowercase + shingle, i.e. CJK
  character bigrams, rewarding the query's characters in the query's order (phrase-ish);
* ``identifiers`` and ``pinyin``: keywords for exact lookups (文号, 索引号, 资源代码; czj);
* ``suggest``: a completion field (keyword analyzer) for suggestions as you type;
* keywords and a date for filters and facets (``audience`` holds a list: every audience a guide serves;
  ``notice_type``, ``status``, ``method`` and ``budget_band`` are procurement's).
"""

from elasticsearch_dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Keyword,
    MetaField,
    Short,
    Text,
    analyzer,
    token_filter,
)

# What the mapping may use (tests/test_search_elasticsearch.py checks the live index against it).
CORE_TOKENIZERS = frozenset({"standard"})
CORE_FILTERS = frozenset({"lowercase", "stop", "shingle"})
CORE_ANALYZERS = frozenset({"standard", "whitespace", "simple", "keyword", "stop"})

bigram = token_filter(
    "portal_bigram", type="shingle", min_shingle_size=2, max_shingle_size=2, output_unigrams=False
)
shingle_analyzer = analyzer("portal_shingle", tokenizer="standard", filter=["lowercase", bigram])


class SiteEntryIndex(Document):
    kind = Keyword()
    url = Keyword(index=False)
    title = Text(
        analyzer="standard",
        fields={"shingles": Text(analyzer=shingle_analyzer), "raw": Keyword(ignore_above=256)},
    )
    title_words = Text(analyzer="whitespace")
    summary = Text(index=False)
    # offsets: the highlighter reads positions from the index instead of re-analysing long texts.
    text = Text(
        analyzer="standard", index_options="offsets", fields={"shingles": Text(analyzer=shingle_analyzer)}
    )
    words = Text(analyzer="whitespace")
    identifiers = Keyword()
    names = Keyword()  # the title, and without 济源市/市: an exact-name match ranks high
    dated = Boolean()  # the title starts with a year: one period's snapshot
    pinyin = Keyword()
    suggest = Completion(analyzer="keyword", max_input_length=60)
    department = Keyword()
    department_name = Keyword()
    topic = Keyword()
    topic_name = Keyword()
    date = Date()
    year = Short()
    genre = Keyword()
    validity = Keyword()
    catalogue = Keyword()
    classification = Keyword()
    sharing = Keyword()
    openness = Keyword()
    audience = Keyword()  # a list: a guide may serve 个人 and 法人
    online_level = Keyword()
    item_type = Keyword()
    notice_type = Keyword()  # absent on a procurement project itself
    status = Keyword()
    method = Keyword()
    budget_band = Keyword()

    class Meta:
        dynamic = MetaField("strict")  # no field gets a guessed mapping

    class Index:
        name = "site"  # a placeholder: indexing.py names real (timestamped) indices
        settings = {"number_of_shards": 1, "number_of_replicas": 0, "max_result_window": 10000}
