"""``manage.py import_resources FILE [--good-rows] [--user USERNAME]``: import a CSV, Excel or JSON
file of information resources and print the report. Exits with an error if nothing was imported
because of bad rows."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.catalogue.importing import import_resources, read_upload


class Command(BaseCommand):
    help = "从 CSV、Excel（.xlsx）或 JSON 文件导入政务信息资源，并打印导入报告"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="要导入的文件")
        parser.add_argument(
            "--good-rows", action="store_true", help="文件中有错误的行时，仍导入正确的行（默认一行也不导入）"
        )
        parser.add_argument("--user", help="以该用户的身份和权限导入（默认不限部门）")

    def handle(self, *args, file, good_rows, user, **options):
        acting = None
        if user:
            try:
                acting = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户“{user}”不存在") from None
        try:
            with file.open("rb") as handle:
                data = read_upload(handle)
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}：{error.strerror}") from None
        report = import_resources(data, user=acting, import_good_rows=good_rows, filename=file.name)
        for line in report.lines():
            self.stdout.write(line)
        if report.file_errors or (report.bad_rows and not report.imported):
            raise CommandError("未导入任何数据")
        self.stdout.write(self.style.SUCCESS(f"完成：新增 {report.created} 条，更新 {report.updated} 条"))
