"""``manage.py procurement send_alerts``: the saved searches' daily digests.

Safe to run every minute (the scheduler does): a supplier gets one digest a day, after
``PROCUREMENT_DIGEST_HOUR`` (default 8, Asia/Shanghai), of the notices queued before that hour.
``--all`` sends everything pending now (a demo, or after an outage)."""

from cms.procurement.suppliers import alerts


def add_arguments(parser):
    parser.add_argument(
        "--all",
        action="store_true",
        dest="everything",
        help="不等每日汇总时间，立即发送所有待发送的订阅公告",
    )


def run(command, everything=False, **options):
    summary = alerts.send_digests(everything=everything)
    if summary["digests"]:
        command.stdout.write(
            f"已生成 {summary['digests']} 封订阅汇总邮件，共 {summary['notices']} 条公告（由发信队列发送）。"
        )
    elif options.get("verbosity", 1) > 0:
        command.stdout.write("没有到期的订阅汇总。")
    return None
