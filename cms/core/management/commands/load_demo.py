from django.core.management import call_command
from django.core.management.base import BaseCommand

from fixtures.load import DEMO_PASSWORD, DemoLoader, ensure_demo_users


class Command(BaseCommand):
    help = "载入济源市门户演示内容（可重复运行，不会重复创建）"

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=None, help="生成的公开文件数量（默认演示集）")

    def handle(self, *args, **options):
        loader = DemoLoader(stdout=self.stdout, document_count=options["documents"])
        loader.load()
        try:
            call_command("setup_editors", stdout=self.stdout)
        except Exception as error:  # noqa: BLE001 - reported, the demo still runs
            self.stderr.write(f"编辑权限设置失败：{error}")
        accounts = ensure_demo_users(self.stdout)
        casework = self.load_casework()
        self.stdout.write(self.style.SUCCESS("演示内容已就绪。后台地址：http://127.0.0.1:8000/admin/"))
        for username, label in accounts:
            self.stdout.write(f"  {label}：用户名 {username}  密码 {DEMO_PASSWORD}")
        for label, number, code in casework.get("try", []):
            self.stdout.write(f"  试查询（{label}）：受理编号 {number}  查询码 {code}")
        procurement = getattr(loader, "procurement", None) or {}
        for uscc, company in procurement.get("accounts", []):
            self.stdout.write(f"  演示供应商（{company}）：统一社会信用代码 {uscc}  密码 {DEMO_PASSWORD}")
        if procurement.get("try_url"):
            self.stdout.write(f"  试下载采购文件（供应商登录后）：{procurement['try_url']}")

    def load_casework(self):
        """Demo applications and disclosure requests (after the guides, the groups and the officers)."""
        from fixtures import casework

        try:
            return casework.load(stdout=self.stdout)
        except Exception as error:  # noqa: BLE001 - reported, the rest of the demo still runs
            self.stderr.write(f"演示办件未能载入：{error}")
            return {}
