"""nDCG@10 and top-3 recall of the judgement set (tests/search_judgements.py) on the demo database,
for Elasticsearch (when ELASTICSEARCH_URL is set and the index built) and for the database fallback."""

import django


def run():
    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    from search.quality import evaluate
    from search.service import run_search
    from tests.search_judgements import JUDGEMENTS

    def search(query):
        return [r["title"] for r in run_search(query, per_page=10).results]

    engines = [("elasticsearch", settings.ELASTICSEARCH_URL)] if settings.ELASTICSEARCH_URL else []
    engines.append(("database", ""))
    print(f"# search quality: {len(JUDGEMENTS)} judged queries over the demo content")
    for engine, url in engines:
        settings.ELASTICSEARCH_URL = url
        cache.clear()
        mean_ndcg, recall3, scores = evaluate(JUDGEMENTS, search)
        print(f"{engine:<14} nDCG@10 {mean_ndcg:.3f}   top-3 recall {recall3:.3f}")
        for score in scores:
            if score.ndcg < 0.8:
                print(f"    {score.ndcg:.2f}  {score.query}  → {' | '.join(score.top)}")
