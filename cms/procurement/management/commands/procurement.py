"""manage.py procurement: the procurement platform's commands. Each subcommand lives with its part:

procurement verify FILE|SHA256   check a tender document against the published digests and signatures
procurement send_alerts          email the saved searches' daily digests (the scheduler runs this)
procurement refresh_status       re-index projects whose status the clock changed (the scheduler runs this)
"""

from importlib import import_module

from django.core.management.base import BaseCommand

SUBCOMMANDS = {
    # name: (module with add_arguments(parser) and run(command, **options), help)
    "verify": ("cms.procurement.trust.commands", "校验采购文件的摘要和电子签名"),
    "send_alerts": ("cms.procurement.suppliers.commands", "发送订阅提醒的每日汇总"),
    "refresh_status": ("cms.procurement.indexing", "重新索引状态随时间变化的采购项目"),
}


class Command(BaseCommand):
    help = (
        "政府采购：校验文件签名（verify）、发送订阅汇总（send_alerts）、刷新项目状态索引（refresh_status）。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}"
        )
        for name, (module, text) in SUBCOMMANDS.items():
            sub = actions.add_parser(name, help=text)
            import_module(module).add_arguments(sub)

    def handle(self, *args, action, **options):
        module, _ = SUBCOMMANDS[action]
        return import_module(module).run(self, **options)
