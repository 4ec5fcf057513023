"""The benchmark run (see bench/__main__.py)."""

import logging
import os
import resource
import sys
import time
import tracemalloc

import django


def rss_mb(who=resource.RUSAGE_SELF):
    return resource.getrusage(who).ru_maxrss / 1024


def line(label, text):
    print(f"{label:<22}{text}", flush=True)


def ensure_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/portal"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_generator(count):
    from fixtures.generator import iter_resources

    tracemalloc.start()
    started = time.perf_counter()
    produced = sum(1 for _ in iter_resources(count))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    line(
        "generator",
        f"{produced:,} resources in {elapsed:.1f} s ({produced / elapsed:,.0f}/s), "
        f"Python heap peak {peak / 1024:.0f} KiB",
    )


def load_entries(resources, documents):
    from django.db import connection

    from bench.data import build, iter_raw
    from search.entries import parallel_map
    from search.models import SearchEntry

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_searchentry")
    total = resources + documents
    started = time.perf_counter()
    count, chunk = 0, []
    processes = os.cpu_count() or 1
    for key, values in parallel_map(build, iter_raw(resources, documents), processes):
        chunk.append(SearchEntry(key=key, **values))
        if len(chunk) == 2000:
            SearchEntry.objects.bulk_create(chunk)
            count += len(chunk)
            chunk = []
            if count % 50_000 == 0:
                rate = count / (time.perf_counter() - started)
                line("", f"  {count:,}/{total:,} entries ({rate:,.0f}/s)")
    SearchEntry.objects.bulk_create(chunk)
    count += len(chunk)
    elapsed = time.perf_counter() - started
    line(
        "entries (PostgreSQL)",
        f"{count:,} in {elapsed:.1f} s ({count / elapsed:,.0f}/s: jieba + pinyin on "
        f"{processes} processes, bulk insert); max RSS main {rss_mb():.0f} MiB, "
        f"largest worker {rss_mb(resource.RUSAGE_CHILDREN):.0f} MiB",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    return count, elapsed


def index_elasticsearch(client):
    from search.indexing import rebuild_index

    started = time.perf_counter()
    before = rss_mb()
    result = rebuild_index(client, chunk_size=1000)
    elapsed = time.perf_counter() - started
    count = result["count"]
    line(
        "elasticsearch bulk",
        f"{count:,} documents in {elapsed:.1f} s ({count / elapsed:,.0f} docs/s, "
        f"streamed from the entries, alias swap); max RSS {max(before, rss_mb()):.0f} MiB",
    )
    return count, elapsed


def main(args):
    logging.basicConfig(level=logging.WARNING)
    url = os.environ["DATABASE_URL"]
    es_url = os.environ.get("ELASTICSEARCH_URL", "")
    print(
        f"# bench: {args.resources:,} resources + {args.documents:,} documents; python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs; database {url.rsplit('@', 1)[-1]}; "
        f"elasticsearch {es_url or 'NOT SET'}",
        flush=True,
    )
    ensure_database(url)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from search.es import get_client

    client = get_client(es_url, request_timeout=300) if es_url else None
    bench_generator(args.resources)
    if not args.skip_load:
        count, entries_time = load_entries(args.resources, args.documents)
        if client is not None:
            indexed, es_time = index_elasticsearch(client)
            line(
                "indexing end to end",
                f"{count:,} in {entries_time + es_time:.1f} s "
                f"({count / (entries_time + es_time):,.0f} docs/s)",
            )
    if client is None:
        line("elasticsearch", "SKIPPED: set ELASTICSEARCH_URL (make es)")
    if not args.skip_http:
        from bench.http import run_http

        run_http(args, url, es_url)
