"""Benchmarks: `make bench` (python -m bench). Prints figures, asserts nothing.

    python -m bench                 # everything below, 200,000 resources + 50,000 documents
    python -m bench --resources 20000 --documents 5000 --requests 100    # a quick run
    python -m bench quality         # nDCG@10 / top-3 recall of the judgement set on the demo database
    python -m bench procurement     # 20 MB document × 16 concurrent suppliers; /zfcg/ with 10,000 projects

Needs PostgreSQL (BENCH_DATABASE_URL, default the `portal_bench` database of `make pg`) and
Elasticsearch (ELASTICSEARCH_URL, `make es`). The run:
  1. generator: 200,000 resources streamed, time and Python heap peak;
  2. entries: the resources and documents segmented (jieba, every core) into SearchEntry rows
     in PostgreSQL (what the database fallback searches);
  3. Elasticsearch: those rows bulk-indexed into a fresh index behind the bench alias;
  4. HTTP: /search/ served by gunicorn twice on the same database, once with Elasticsearch and
     once without (the fallback), hit with the same queries at concurrency 1 and 8.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
DEFAULT_DB = "postgres://portal:portal@127.0.0.1:5432/portal_bench"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", nargs="?", default="all", choices=["all", "quality", "procurement"])
    parser.add_argument("--resources", type=int, default=200_000)
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200, help="HTTP requests per engine and concurrency")
    parser.add_argument("--skip-load", action="store_true", help="reuse the data of the previous run")
    parser.add_argument("--skip-http", action="store_true", help="only generate, load and index")
    from bench import procurement

    procurement.add_arguments(parser)
    args = parser.parse_args()

    if args.what == "quality":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
        from bench.quality import run

        return run()
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = "bench"
    # DEBUG off: with it on, Django would keep every bulk INSERT's SQL in memory.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.what == "procurement":
        return procurement.run(args)
    from bench import run

    run.main(args)


if __name__ == "__main__":
    main()
