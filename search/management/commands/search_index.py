"""manage.py search_index: keep the site search's entries and Elasticsearch index in step.

search_index entries    rebuild every SearchEntry from the database (jieba on every core)
search_index rebuild    new Elasticsearch index from the entries, alias swap; searches keep
                        working on the old index meanwhile (add --entries to do both)
search_index process    apply pending index updates now (the scheduler runs this every minute)
search_index status     entries, pending updates, Elasticsearch state
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from search import entries, queue
from search.es import check_reachable, get_client
from search.indexing import CHUNK_SIZE, alias_name, indices_behind, rebuild_index
from search.models import SearchEntry


class Command(BaseCommand):
    help = (
        "站内搜索索引：重建搜索条目（entries）、重建 Elasticsearch 索引（rebuild）、"
        "处理更新队列（process）、查看状态（status）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["entries", "rebuild", "process", "status"])
        parser.add_argument("--entries", action="store_true", help="rebuild 之前先重建搜索条目")
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="每批写入的条数")
        parser.add_argument("--processes", type=int, default=None, help="分词进程数（默认：CPU 核数）")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def _progress(self, what):
        started = time.monotonic()

        def progress(count):
            rate = count / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"  {what} {count} 条（{rate:.0f} 条/秒）")

        return progress

    def do_entries(self, processes=None, **options):
        self.stdout.write("正在重建搜索条目（数据库检索也使用这些条目）…")
        count = entries.rebuild(progress=self._progress("已处理"), processes=processes)
        self.stdout.write(self.style.SUCCESS(f"完成：{count} 条搜索条目"))

    def _client(self):
        client = get_client()
        if client is None:
            raise CommandError(
                "ELASTICSEARCH_URL 未设置，无法建立 Elasticsearch 索引（站内搜索仍使用数据库检索）。"
            )
        try:
            check_reachable(client)
        except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
            reason = f"{error.__class__.__name__}: {error}"[:300]
            raise CommandError(f"无法连接 Elasticsearch（{settings.ELASTICSEARCH_URL}）：{reason}") from error
        return client

    def do_rebuild(self, chunk_size=CHUNK_SIZE, entries=False, processes=None, **options):
        client = self._client()
        since = timezone.now()  # changes from here on are replayed into the new index
        if entries:
            self.do_entries(processes=processes)
        self.stdout.write(f"正在重建 Elasticsearch 索引（{settings.ELASTICSEARCH_URL}）…")
        result = rebuild_index(
            client, chunk_size=max(1, chunk_size), progress=self._progress("已写入"), since=since
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{result['count']} 条写入 {result['index']}，别名 {result['alias']} 已指向它"
            )
        )
        if result["replayed"]:
            self.stdout.write(f"  重建期间的 {result['replayed']} 项更改已补写")
        for old in result["deleted"]:
            self.stdout.write(f"  已删除旧索引 {old}")

    def do_process(self, **options):
        summary = queue.process()
        if summary["failed"]:
            raise CommandError(f"{summary['failed']} 项索引更新失败，稍后重试：{summary['error']}")
        self.stdout.write(f"已处理 {summary['applied']} 项索引更新")

    def do_status(self, **options):
        pending, age = queue.backlog()
        self.stdout.write(f"搜索条目：{SearchEntry.objects.count()}")
        self.stdout.write(f"待处理的索引更新：{pending}" + (f"（最早的已等待 {age:.0f} 秒）" if age else ""))
        for update in queue.dead()[:20]:
            self.stdout.write(
                f"  多次失败、已搁置：{update.key}（{update.attempts} 次）{update.last_error[:200]}"
            )
        client = get_client()
        if client is None:
            self.stdout.write("Elasticsearch：未配置（使用数据库检索）")
            return
        try:
            check_reachable(client, timeout="3s")
            behind = indices_behind(client, alias_name())
            count = client.count(index=alias_name())["count"] if behind else 0
            self.stdout.write(
                f"Elasticsearch：正常，别名 {alias_name()} → {', '.join(behind) or '无'}，{count} 条"
            )
        except Exception as error:  # noqa: BLE001
            self.stdout.write(f"Elasticsearch：无法连接（{error.__class__.__name__}）")
