"""The Elasticsearch index of disclosure documents (公开文件).

Analysis uses ONLY components built into Elasticsearch's server module, so the index works on
the minimal ``integ-test-zip`` distribution (no analysis-common: no whitespace/keyword
*tokenizers*, no ngram, no cjk_bigram, no smartcn/ik plugins):

* ``title_words`` / ``body_words``: text segmented into words in Python by jieba
  (search.text.segment), indexed with the built-in ``whitespace`` analyzer;
* ``title`` / ``body``: the raw text with the ``standard`` analyzer, which splits CJK into single
  characters: the recall net for words jieba segments differently;
* ``title.shingles`` / ``body.shingles``: standard tokenizer + lowercase + shingle, i.e. CJK
  character bigrams, rewarding the query's characters in the query's order (phrase-ish);
* keyword fields for exact lookups and filters.
"""

from elasticsearch_dsl import Date, Document, Integer, Keyword, MetaField, Text, analyzer, token_filter

# What the mapping may use (tests/test_search_elasticsearch.py checks the live index against it).
CORE_TOKENIZERS = frozenset({"standard"})
CORE_FILTERS = frozenset({"lowercase", "stop", "shingle"})
CORE_ANALYZERS = frozenset({"standard", "whitespace", "simple", "keyword", "stop"})

bigram = token_filter(
    "portal_bigram", type="shingle", min_shingle_size=2, max_shingle_size=2, output_unigrams=False
)
shingle_analyzer = analyzer("portal_shingle", tokenizer="standard", filter=["lowercase", bigram])


def _text_with_shingles():
    return Text(analyzer="standard", fields={"shingles": Text(analyzer=shingle_analyzer)})


class DisclosureDocumentIndex(Document):
    page_id = Integer()
    url = Keyword(index=False)
    title = Text(
        analyzer="standard",
        fields={"shingles": Text(analyzer=shingle_analyzer), "raw": Keyword(ignore_above=256)},
    )
    title_words = Text(analyzer="whitespace")
    body = _text_with_shingles()
    body_words = Text(analyzer="whitespace")
    summary = Text(index=False)
    keywords = Keyword()
    index_number = Keyword()
    document_number = Keyword()
    department = Keyword()
    department_name = Keyword()
    topic = Keyword()
    topic_name = Keyword()
    genre = Keyword()
    validity = Keyword()
    disclosure_method = Keyword()
    written_on = Date()
    published_on = Date()
    expires_on = Date()

    class Meta:
        dynamic = MetaField("strict")  # no field gets a guessed mapping

    class Index:
        name = "disclosure"  # a placeholder: indexing.py names real (timestamped) indices
        settings = {"number_of_shards": 1, "number_of_replicas": 0}
