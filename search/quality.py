"""Search quality against a judgement set: nDCG@10 and top-3 recall.

A judgement is (query, [expected titles, most relevant first]). Relevance is graded by position
in that list (the first expected item gains most), so nDCG rewards getting the order right too.
"""

import math
from dataclasses import dataclass

K = 10


@dataclass
class QueryScore:
    query: str
    ndcg: float
    recall3: float
    top: list


def gains(expected):
    n = len(expected)
    return {title: n - i for i, title in enumerate(expected)}


def ndcg(found, expected, k=K):
    gain = gains(expected)
    dcg = sum(gain.get(title, 0) / math.log2(i + 2) for i, title in enumerate(found[:k]))
    ideal = sorted(gain.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at_3(found, expected):
    wanted = expected[:3]
    return len(set(found[:3]) & set(wanted)) / len(wanted) if wanted else 0.0


def evaluate(judgements, search):
    """``search(query)`` → titles in ranked order. Returns (mean nDCG@10, mean recall@3, [QueryScore])."""
    scores = []
    for query, expected in judgements:
        found = search(query)
        scores.append(QueryScore(query, ndcg(found, expected), recall_at_3(found, expected), found[:3]))
    n = len(scores) or 1
    return sum(s.ndcg for s in scores) / n, sum(s.recall3 for s in scores) / n, scores
