"""``manage.py setup_editors``: groups, collections and review workflows for every department folder.

Safe to run any number of times (deploys, the demo loader): it creates what is missing, restores the
department groups' page and collection permissions to the least-privilege set, and prints each change.
Scheduled publishing needs ``manage.py publish_scheduled`` every minute (see cms/editors/workflows.py).
"""

from django.core.management.base import BaseCommand

from cms.editors.provision import setup_all


class Command(BaseCommand):
    help = "为各部门信息公开栏目创建编辑组、审核组、素材集合和审核流程（可重复执行）"

    def handle(self, *args, **options):
        total = 0
        for label, changes in setup_all():
            if not changes:
                self.stdout.write(f"{label}: 无变化")
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"{label}:"))
            for line in changes.created:
                self.stdout.write(f"  + {line}")
            for line in changes.removed:
                self.stdout.write(self.style.WARNING(f"  - {line}"))
            total += len(changes.created) + len(changes.removed)
        self.stdout.write(self.style.SUCCESS(f"完成：{total} 项变更"))
