"""Search latency over HTTP: gunicorn serving /search/ with and without Elasticsearch."""

import os
import signal
import socket
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "政府采购",
    "信息公开",
    "营商环境",
    "乡村振兴",
    "预算绩效",
    "安全生产",
    "行政许可",
    "生态环境保护",
    "医疗保障",
    "河湖长制",
    "企业法人",
    "空气质量",
    "养老保险",
    "不动产登记",
    "公共租赁住房",
    "招生考试",
    "食品安全",
    "防汛抗旱",
    "czj",
    "济政",
    "302001/000001",
    "项目审批",
    "统计",
    "补贴发放",
]
TIME_BOX = 120  # seconds per engine and concurrency: a slow fallback still ends


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url, es_url, workers):
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        ELASTICSEARCH_URL=es_url,
        ELASTICSEARCH_INDEX_PREFIX="bench",
        PYTHONPATH=f"{ROOT / 'site'}:{ROOT}",
        DJANGO_SETTINGS_MODULE="bench.settings",
    )
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--chdir",
            str(ROOT),
        ],
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/healthz/", timeout=2).read()
            return process, base
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    raise RuntimeError("gunicorn did not start")


def stop_server(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def fetch(base, query):
    url = f"{base}/search/?" + urllib.parse.urlencode({"q": query})
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        status = response.status
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, status, body


def measure(base, concurrency, requests):
    queries = [QUERIES[i % len(QUERIES)] for i in range(requests)]
    timings, errors = [], 0
    deadline = time.monotonic() + TIME_BOX

    def one(query):
        if time.monotonic() > deadline:
            return None
        try:
            elapsed, status, _ = fetch(base, query)
            return elapsed if status == 200 else -1
        except OSError:
            return -1

    with ThreadPoolExecutor(concurrency) as pool:
        for result in pool.map(one, queries):
            if result is None:
                continue
            if result < 0:
                errors += 1
            else:
                timings.append(result)
    timings.sort()
    if not timings:
        return {"n": 0, "errors": errors}
    p95 = timings[max(0, int(round(len(timings) * 0.95)) - 1)]
    return {"n": len(timings), "errors": errors, "p50": statistics.median(timings), "p95": p95}


def run_http(args, database_url, es_url):
    workers = max(2, (os.cpu_count() or 1) * 2)
    engines = [("elasticsearch", es_url)] if es_url else []
    engines.append(("database", ""))
    results = {}
    for engine, url in engines:
        process, base = start_server(database_url, url, workers)
        try:
            for query in QUERIES:  # warm up every worker's caches and connections
                fetch(base, query)
            for concurrency in (1, 8):
                stats = measure(base, concurrency, args.requests)
                results[(engine, concurrency)] = stats
                if stats["n"]:
                    text = (
                        f"p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms over {stats['n']} requests"
                        f" ({stats['errors']} errors)"
                    )
                else:
                    text = f"no request finished ({stats['errors']} errors)"
                print(f"{'http ' + engine:<22}c={concurrency}: {text}", flush=True)
        finally:
            stop_server(process)
    for concurrency in (1, 8):
        es_stats, db_stats = (
            results.get(("elasticsearch", concurrency)),
            results.get(("database", concurrency)),
        )
        if es_stats and db_stats and es_stats.get("p95") and db_stats.get("p95"):
            ratio = db_stats["p95"] / es_stats["p95"]
            print(
                f"{'ratio':<22}c={concurrency}: the fallback's p95 is {ratio:.1f}x Elasticsearch's",
                flush=True,
            )
    print(f"{'':<22}(gunicorn, {workers} sync workers; client on the same machine)")
