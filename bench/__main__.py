"""Benchmarks: `make bench` (or `python -m bench --count 100000`).

Prints figures, asserts nothing: speed and memory targets live here, not in tests.
  1. the demo generator streams N disclosure documents in bounded memory;
  2. jieba segmentation of those documents (the work every indexer does);
  3. with ELASTICSEARCH_URL set: bulk indexing of the N documents into a scratch
     index (documents per second) and query latency p50/p95 over it.
"""

import argparse
import datetime
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

QUERIES = [
    "政府采购",
    "信息公开",
    "营商环境",
    "乡村振兴",
    "预算绩效",
    "安全生产",
    "济政",
    "行政许可",
    "生态环境保护",
    "医疗保障基金",
    "河湖长制",
    "优化营商环境工作要点",
]


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class GeneratedDocument(SimpleNamespace):
    """Gives a generated dict the attributes search.indexing reads from a page."""

    body = None

    def get_url(self):
        return f"/xxgk/{self.department.slug}/{self.slug}/"


def as_page(data, number):
    day = datetime.date.fromisoformat
    return GeneratedDocument(
        pk=number,
        slug=data["key"],
        title=data["title"],
        document_number=data["document_number"],
        index_number=f"bench/{data['published_on'][:4]}-{number:06d}",
        keywords=" ".join(data["keywords"]),
        keyword_list=data["keywords"],
        summary=data["summary"] + "\n" + "\n".join(data["body"]),
        department=SimpleNamespace(slug=data["department"], name=data["department"]),
        topic=SimpleNamespace(code=data["topic"], name=data["topic"]),
        genre=data["genre"],
        validity=data["validity"],
        disclosure_method=data["disclosure_method"],
        written_on=day(data["written_on"]),
        published_on=day(data["published_on"]),
        expires_on=day(data["expires_on"]) if data["expires_on"] else None,
    )


def bench_generator(count):
    from fixtures.generator import iter_documents

    tracemalloc.start()
    started = time.perf_counter()
    produced = sum(1 for _ in iter_documents(count))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"generator     {produced:>8} documents in {elapsed:6.1f} s  "
        f"({produced / elapsed:,.0f}/s), Python heap peak {peak / 2**20:.1f} MiB"
    )


def bench_segmentation(count):
    from fixtures.generator import iter_documents
    from search.text import segment

    segment("预热")
    started = time.perf_counter()
    chars = 0
    for data in iter_documents(count):
        text = data["title"] + "".join(data["body"])
        chars += len(text)
        segment(text)
    elapsed = time.perf_counter() - started
    print(
        f"segmentation  {count:>8} documents in {elapsed:6.1f} s  "
        f"({count / elapsed:,.0f}/s, {chars / elapsed / 1e6:.2f} M chars/s)"
    )


def bench_elasticsearch(count, url):
    from fixtures.generator import iter_documents
    from search.es import get_client
    from search.indexing import bulk_index, create_index, search_documents

    client = get_client(url, request_timeout=120)
    name = f"bench-disclosure-{int(time.time())}"
    create_index(client, name)
    try:
        client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
        pages = (as_page(d, i) for i, d in enumerate(iter_documents(count), start=1))
        started = time.perf_counter()
        indexed = bulk_index(pages, client, index=name, chunk_size=1000)
        client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
        client.indices.refresh(index=name)
        elapsed = time.perf_counter() - started
        print(
            f"es bulk index {indexed:>8} documents in {elapsed:6.1f} s  ({indexed / elapsed:,.0f} docs/s, "
            f"jieba included), process max RSS {rss_mb():.0f} MiB"
        )
        timings = []
        for _ in range(10):
            for query in QUERIES:
                t0 = time.perf_counter()
                search_documents(client, query, index=name, size=20)
                timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"es search     {len(timings):>8} queries: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {p95:.1f} ms (client side, concurrency 1)"
        )
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="documents to generate (default 100000)")
    parser.add_argument("--segment-count", type=int, default=5_000)
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    print(f"# bench: {args.count} documents, python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    bench_generator(args.count)
    bench_segmentation(args.segment_count)
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if url:
        bench_elasticsearch(args.count, url)
    else:
        print("es            skipped: set ELASTICSEARCH_URL (e.g. `make es`) to measure indexing")


if __name__ == "__main__":
    main()
