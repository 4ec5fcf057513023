"""``manage.py export_resources --format csv|json|dcat [--output FILE] [--public]``: the whole
catalogue, for administrators. Full details unless ``--public`` applies the openness rule."""

from django.core.management.base import BaseCommand, CommandError

from cms.catalogue.exporting.records import Exporter, base_url, resources
from cms.catalogue.exporting.writers import FORMATS


class Command(BaseCommand):
    help = "导出全部政务信息资源（CSV、JSON 或 DCAT JSON-LD）"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv", help="导出格式（默认 csv）")
        parser.add_argument("--output", help="输出文件（默认输出到标准输出）")
        parser.add_argument(
            "--public", action="store_true", help="按公开规则导出：不予开放的资源只保留标识信息"
        )

    def handle(self, *args, **options):
        writer = FORMATS[options["format"]][0]
        chunks = writer(resources(), Exporter(public=options["public"], base=base_url()))
        output = options["output"]
        if not output:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        try:
            # newline="": the csv module writes its own \r\n line ends.
            with open(output, "w", encoding="utf-8", newline="") as target:
                target.writelines(chunks)
        except OSError as error:
            raise CommandError(f"无法写入文件 {output}：{error.strerror}") from None
        self.stderr.write(self.style.SUCCESS(f"已导出到 {output}"))
