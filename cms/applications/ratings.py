"""好差评 statistics: public figures per service (事项编码), from the applicants' ratings."""

from dataclasses import dataclass, field

from django.db.models import Count

from .models import Rating

# The national 好差评 system counts 非常满意 / 满意 / 基本满意 as 好评, the two lower levels as 差评.
GOOD_SCORES = (Rating.Score.VERY_SATISFIED, Rating.Score.SATISFIED, Rating.Score.FAIRLY_SATISFIED)


@dataclass
class Level:
    score: int
    label: str
    count: int
    percent: float


@dataclass
class Summary:
    service_code: str
    count: int = 0
    good: int = 0
    levels: list = field(default_factory=list)

    @property
    def good_percent(self):
        """好评率, one decimal."""
        return round(100 * self.good / self.count, 1) if self.count else None

    @property
    def average(self):
        if not self.count:
            return None
        return round(sum(level.score * level.count for level in self.levels) / self.count, 2)


def _summary(service_code, counts):
    total = sum(counts.values())
    levels = [
        Level(
            score=score.value,
            label=score.label,
            count=counts.get(score.value, 0),
            percent=round(100 * counts.get(score.value, 0) / total, 1) if total else 0.0,
        )
        for score in sorted(Rating.Score, key=lambda s: -s.value)
    ]
    good = sum(counts.get(score.value, 0) for score in GOOD_SCORES)
    return Summary(service_code=service_code, count=total, good=good, levels=levels)


def summary(service_code):
    """The statistics of one service."""
    rows = Rating.objects.filter(service_code=service_code).values("score").annotate(n=Count("pk"))
    return _summary(service_code, {row["score"]: row["n"] for row in rows})


def summaries(service_codes=None):
    """``{service_code: Summary}`` for every rated service (or those given), in one query."""
    ratings = Rating.objects.all()
    if service_codes is not None:
        ratings = ratings.filter(service_code__in=list(service_codes))
    counts = {}
    for row in ratings.values("service_code", "score").annotate(n=Count("pk")):
        counts.setdefault(row["service_code"], {})[row["score"]] = row["n"]
    return {code: _summary(code, per_score) for code, per_score in counts.items()}


def overall(summaries_):
    """All services together, as one Summary."""
    counts = {}
    for item in summaries_:
        for level in item.levels:
            counts[level.score] = counts.get(level.score, 0) + level.count
    return _summary("", counts)
