"""Print table 三 of the annual report (收到和处理政府信息公开申请情况) from the requests, as CSV.

manage.py request_figures 2025                 # all departments
manage.py request_figures 2025 --department czj
"""

import csv

from django.core.management.base import BaseCommand, CommandError

from cms.core.models import Department
from cms.disclosure.annual_report import REQUEST_COLUMNS
from cms.disclosure_requests.figures import request_figures


class Command(BaseCommand):
    help = "按年度（及部门）从依申请公开办件统计年度报告第三部分的表格，输出 CSV"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="报告年度，例如 2025")
        parser.add_argument("--department", help="部门代号（slug）；省略时统计全部部门")

    def handle(self, *args, year, department=None, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("报告年度应为四位数字，例如 2025")
        scope = None
        if department:
            scope = Department.objects.filter(slug=department).first()
            if scope is None:
                raise CommandError(f"没有代号为“{department}”的部门")
        figures = request_figures(year, scope)
        writer = csv.writer(self.stdout)
        writer.writerow(REQUEST_COLUMNS)
        writer.writerows(figures.table_rows())
