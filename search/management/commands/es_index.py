"""manage.py es_index: rebuild the Elasticsearch index of disclosure documents.

A new timestamped index is filled from the live documents, then the alias
``<ELASTICSEARCH_INDEX_PREFIX>-disclosure`` is moved to it and the old index deleted.
Exits non-zero with a clear message when ELASTICSEARCH_URL is unset or unreachable.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.es import check_reachable, get_client
from search.indexing import CHUNK_SIZE, rebuild_index


class Command(BaseCommand):
    help = "重建 Elasticsearch 公开文件索引：新建索引、批量写入、切换别名、删除旧索引。"

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="每批写入的文件数")

    def handle(self, *args, chunk_size, **options):
        url = settings.ELASTICSEARCH_URL
        client = get_client()
        if client is None:
            raise CommandError(
                "ELASTICSEARCH_URL 未设置，无法建立 Elasticsearch 索引（站内搜索仍使用数据库检索）。"
            )
        try:
            check_reachable(client)
        except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
            reason = f"{error.__class__.__name__}: {error}"[:300]
            raise CommandError(f"无法连接 Elasticsearch（{url}）：{reason}") from error

        def progress(count):
            self.stdout.write(f"  已写入 {count} 个文件")

        self.stdout.write(f"正在重建 Elasticsearch 索引（{url}）…")
        result = rebuild_index(client, chunk_size=max(1, chunk_size), progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{result['count']} 个公开文件写入 {result['index']}，别名 {result['alias']} 已指向它"
            )
        )
        for old in result["deleted"]:
            self.stdout.write(f"  已删除旧索引 {old}")
