"""manage.py casework: the casework core's housekeeping.

casework send_mail       send the email notices that are due (the scheduler runs this every minute)
casework status          the outbox, open and overdue cases per department, the calendar's coverage
casework calendar YEAR   the year's holidays and make-up working days as deadlines count them
"""

import datetime

import chinese_calendar
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils import timezone

from cms.casework import notify, workdays
from cms.casework.clock import case_models
from cms.casework.models import CalendarOverride

WEEKDAYS = "一二三四五六日"


def _day(day):
    return f"{day:%Y-%m-%d} 星期{WEEKDAYS[day.weekday()]}"


def _age(seconds):
    if seconds is None:
        return ""
    if seconds < 120:
        return f"{seconds} 秒"
    if seconds < 7200:
        return f"{seconds // 60} 分钟"
    return f"{seconds // 3600} 小时"


class Command(BaseCommand):
    help = (
        "办件管理：发送到期的邮件通知（send_mail）、查看状态（status）、查看某年的工作日历（calendar 年份）。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{send_mail,status,calendar}")
        actions.add_parser("send_mail", help="发送到期的邮件通知")
        actions.add_parser("status", help="邮件通知、在办和超期办件、工作日历覆盖情况")
        calendar = actions.add_parser("calendar", help="某年的放假和调休上班日期（含管理员调整）")
        calendar.add_argument("year", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_send_mail(self, **options):
        summary = notify.deliver_all()
        line = f"邮件通知：已发送 {summary['sent']} 封"
        if summary["failed"]:
            wait = notify.seconds_until_next()
            self.stderr.write(
                f"{line}，{summary['failed']} 封发送失败，将于 {_age(round(wait or 0)) or '稍后'}后重试"
            )
        elif summary["sent"] or options.get("verbosity", 1) > 1:
            self.stdout.write(line)

    def do_status(self, **options):
        self._outbox()
        self._cases()
        self._calendar_coverage()

    def _outbox(self):
        outbox = notify.outbox_summary()
        self.stdout.write(self.style.MIGRATE_HEADING("邮件通知"))
        if not outbox["pending"]:
            self.stdout.write("  没有待发送的邮件")
            return
        self.stdout.write(
            f"  待发送 {outbox['pending']} 封，最早的已等待 {_age(outbox['oldest_seconds'])}；"
            f"其中 {outbox['failing']} 封发送失败、等待重试"
        )
        errors = (
            notify.pending()
            .exclude(last_error="")
            .values("last_error")
            .annotate(n=Count("pk"))
            .order_by("-n")[:5]
        )
        for row in errors:
            self.stdout.write(self.style.WARNING(f"  {row['n']} 封：{row['last_error']}"))
        if outbox["oldest_seconds"] and outbox["oldest_seconds"] > notify.STALE_AFTER:
            self.stdout.write(self.style.ERROR("  有邮件超过 1 小时未发出：请检查邮件服务器和 EMAIL_* 设置"))

    def _cases(self):
        today = timezone.localdate()
        for model in case_models():
            self.stdout.write(
                self.style.MIGRATE_HEADING(f"{model._meta.verbose_name}（在办 / 已超期 / 暂停计时）")
            )
            rows = (
                model.objects.filter(closed_at__isnull=True)
                .values("department__name")
                .annotate(
                    open=Count("pk"),
                    overdue=Count("pk", filter=Q(clock_stopped_on__isnull=True, due_on__lt=today)),
                    paused=Count("pk", filter=Q(clock_stopped_on__isnull=False)),
                )
                .order_by("-overdue", "-open", "department__name")
            )
            if not rows:
                self.stdout.write("  没有在办的")
            for row in rows:
                line = f"  {row['department__name']}：{row['open']} / {row['overdue']} / {row['paused']}"
                self.stdout.write(self.style.ERROR(line) if row["overdue"] else line)

    def _calendar_coverage(self):
        first, last = workdays.library_years()
        self.stdout.write(self.style.MIGRATE_HEADING("工作日历"))
        self.stdout.write(f"  chinese_calendar {chinese_calendar.__version__}：收录 {first}—{last} 年")
        year = timezone.localdate().year
        for y in (year, year + 1):
            corrections = CalendarOverride.objects.filter(date__year=y).count()
            if workdays.library_covers(y):
                self.stdout.write(f"  {y} 年：已收录（管理员调整 {corrections} 天）")
            else:
                self.stdout.write(
                    self.style.WARNING(
                        f"  {y} 年：未收录，只按周末计算（管理员调整 {corrections} 天）。"
                        "国务院公布放假安排后，请升级 chinese_calendar 或在“工作日调整”中录入。"
                    )
                )

    def do_calendar(self, year, **options):
        if not 1900 <= year <= 2200:
            raise CommandError("年份应在 1900 至 2200 之间")
        result = workdays.year_calendar(year)
        if result["covered"]:
            self.stdout.write(
                f"{year} 年工作日历（chinese_calendar {chinese_calendar.__version__}，含管理员调整）"
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"{year} 年不在 chinese_calendar {chinese_calendar.__version__} 的收录范围内："
                    "只按周末和管理员调整计算"
                )
            )
        self.stdout.write(self.style.MIGRATE_HEADING("放假（含相连的周末）"))
        for first, last, name, days in result["holidays"]:
            span = _day(first) if first == last else f"{_day(first)} 至 {_day(last)}"
            self.stdout.write(f"  {span}  {name or '放假'}  共 {days} 天")
        if not result["holidays"]:
            self.stdout.write("  无（周末除外）")
        self.stdout.write(self.style.MIGRATE_HEADING("调休上班"))
        for day, name in result["makeup"]:
            self.stdout.write(f"  {_day(day)}  {name}")
        if not result["makeup"]:
            self.stdout.write("  无")
        notes = dict(CalendarOverride.objects.filter(date__year=year).values_list("date", "note"))
        if result["overrides"]:
            self.stdout.write(self.style.MIGRATE_HEADING("管理员调整"))
            for day, is_workday in result["overrides"]:
                note = notes.get(day) or ""
                self.stdout.write(f"  {_day(day)}  {'上班' if is_workday else '放假'}  {note}".rstrip())
        total = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
        self.stdout.write(f"全年工作日 {result['workdays']} 天，非工作日 {total - result['workdays']} 天")
