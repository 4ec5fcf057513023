"""Procurement benchmarks (`python -m bench procurement`), against gunicorn on the bench database:

1. download: a 20 MB tender document (a signed, published version of a live tender notice) downloaded at
   once by 16 logged-in suppliers: throughput, time per download, every copy's SHA-256 checked against the
   signed digest, and the server's memory: VmRSS of the master and each worker before, VmHWM (peak) and
   VmRSS after. The view streams the file, so the peak must not grow with the file size or the number of
   downloads.
2. list: /zfcg/ with 10,000 projects (inserted in bulk: page rows with their materialised paths, project and
   lot rows; no revisions or notices, which the list does not read), requested with a dozen filter
   combinations at concurrency 1 and 8: p50/p95.

    python -m bench procurement                          # both, 10,000 projects, 200 requests each
    python -m bench procurement --projects 2000 --requests 50 --size-mb 5    # a quick run
    python -m bench procurement --skip-list              # only the download
"""

import datetime
import hashlib
import os
import random
import secrets
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOWNLOAD_PREFIX = "BENCH-DL"
LIST_PREFIX = "BENCH-L"
SUPPLIER_REGION = "419001"
SUPPLIER_SEED = (
    9000  # bench suppliers' credit codes: fixtures.procurement_data.company_uscc(region, seed + n)
)
TIME_BOX = 180  # seconds per measurement: a slow server still ends the run


def line(label, text):
    print(f"{label:<22}{text}", flush=True)


def add_arguments(parser):
    group = parser.add_argument_group("procurement")
    group.add_argument("--projects", type=int, default=10_000, help="projects for the list benchmark")
    group.add_argument("--size-mb", type=float, default=20.0, help="size of the downloaded document (MB)")
    group.add_argument("--downloaders", type=int, default=16, help="suppliers downloading at once")
    group.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (as in the Dockerfile)")
    group.add_argument("--fresh", action="store_true", help="regenerate the list's projects even if present")
    group.add_argument("--skip-download", action="store_true")
    group.add_argument("--skip-list", action="store_true")


def run(args):
    import django

    from bench.run import ensure_database

    url = os.environ["DATABASE_URL"]
    # The server and this process share the tender document's storage and the signing key.
    os.environ.setdefault("PORTAL_PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "bench-private"))
    os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_urlsafe(50))  # sessions valid in every worker
    print(
        f"# bench procurement: {args.projects:,} projects, {args.downloaders} × {args.size_mb:g} MB; "
        f"{os.cpu_count()} CPUs; database {url.rsplit('@', 1)[-1]}; gunicorn {args.workers} sync workers",
        flush=True,
    )
    ensure_database(url)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    folders = ensure_tree()
    version = accounts = None
    if not args.skip_download:
        version = prepare_download(folders, args.size_mb)
        accounts = bench_suppliers(args.downloaders)
    if not args.skip_list:
        prepare_list(folders, args.projects, args.fresh)
    from django.db import connections

    connections.close_all()
    from bench.http import start_server, stop_server

    process, base = start_server(url, "", args.workers)
    try:
        if version is not None:
            bench_download(base, process.pid, version, accounts)
        if not args.skip_list:
            bench_list(base, args.requests)
    finally:
        stop_server(process)
    print(f"{'':<22}(gunicorn, {args.workers} sync workers; client on the same machine)", flush=True)


# --- the site ---------------------------------------------------------------------------------------------


def ensure_tree():
    """Home page, /zfcg/ and a folder per department (the demo loader's own steps; idempotent)."""
    from django.db import transaction

    from fixtures import procurement
    from fixtures.load import DemoLoader

    loader = DemoLoader()
    with transaction.atomic():
        loader.load_settings_and_departments()
        home = loader.load_home()
        index = procurement.procurement_index(loader, home)
        return procurement.department_folders(loader, index)


# --- download ---------------------------------------------------------------------------------------------


def prepare_download(folders, size_mb):
    """A live tender whose document (``size_mb``) is downloadable now; reused while it stays so."""
    from django.utils import timezone

    from cms.procurement.models import ProcurementFileVersion

    size = int(size_mb * 1_000_000)
    now = timezone.now()
    reusable = (
        ProcurementFileVersion.objects.filter(
            procurement_file__project__project_number__startswith=DOWNLOAD_PREFIX,
            procurement_file__project__documents_from__lte=now,
            procurement_file__project__documents_until__gte=now + datetime.timedelta(hours=2),
            published_at__isnull=False,
            size__gte=size * 0.98,
            size__lte=size * 1.05,
        )
        .order_by("-pk")
        .first()
    )
    if reusable is not None and reusable.blob.storage.exists(reusable.blob.name):
        line("download document", f"reusing version {reusable.pk} ({reusable.size / 1e6:.1f} MB)")
        return reusable
    started = time.perf_counter()
    version = _new_download_project(folders["ggzy"], size, now)
    line(
        "download document",
        f"{version.size / 1e6:.1f} MB PDF generated, signed and published in "
        f"{time.perf_counter() - started:.1f} s (version {version.pk})",
    )
    return version


def _new_download_project(folder, size, now):
    import io

    from cms.procurement.models import (
        NoticeDocument,
        ProcurementFile,
        ProcurementProject,
        ProjectLot,
        TenderNotice,
    )
    from cms.procurement.trust.versions import add_version
    from fixtures import procurement_pdf

    number = f"{DOWNLOAD_PREFIX}-{now:%Y%m%d%H%M%S}"
    project = ProcurementProject(
        title="济源市公共资源交易中心下载性能测试项目（施工图纸）",
        slug=number.lower(),
        project_number=number,
        buyer=folder.department,
        category="building",
        method="open",
        budget=Decimal("12000000"),
        summary="基准测试：大体积采购文件（扫描版施工图纸）的并发下载。",
        contact_name="测试",
        contact_phone="0391-6617866",
    )
    project.lots = [ProjectLot(number=1, name="施工", budget=Decimal("12000000"), quantity="180日历天")]
    folder.add_child(instance=project)
    project.save_revision(log_action=False).publish(log_action=False)
    pfile = ProcurementFile.objects.create(project=project, title="施工图纸（扫描件）")
    content = procurement_pdf.scanned_drawings(project.title, number, size)
    version = add_version(pfile, io.BytesIO(content), f"{number}施工图纸.pdf")
    deadline = (now + datetime.timedelta(days=25)).replace(second=0, microsecond=0)
    tender = TenderNotice(
        title=f"{project.title}公开招标公告",
        slug="tender",
        documents_from=now,
        documents_until=now + datetime.timedelta(days=10),
        bid_deadline=deadline,
        opening_at=deadline,
    )
    tender.documents = [NoticeDocument(file=pfile)]
    project.add_child(instance=tender)
    tender.save_revision(log_action=False).publish(log_action=False)
    version.refresh_from_db()
    return version


BENCH_PASSWORD = "Bench-Supplier-2026"  # noqa: S105 - throw-away accounts of the bench database


def bench_suppliers(count):
    """``count`` verified supplier accounts (credit code, password), created once."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cms.procurement.models import Supplier
    from fixtures.procurement_data import company_uscc

    accounts = []
    for n in range(count):
        uscc = company_uscc(SUPPLIER_REGION, SUPPLIER_SEED + n)
        email = f"bench{n}@example.com"
        user = get_user_model().objects.filter(username=uscc).first()
        if user is None:
            user = get_user_model().objects.create_user(username=uscc, email=email, password=BENCH_PASSWORD)
        elif not user.check_password(BENCH_PASSWORD):
            user.set_password(BENCH_PASSWORD)
            user.save(update_fields=["password"])
        Supplier.objects.get_or_create(
            uscc=uscc,
            defaults={
                "user": user,
                "company_name": f"基准测试供应商{n + 1:02d}有限公司",
                "contact_name": "测试",
                "phone": "13900000000",
                "email": email,
                "email_verified_at": timezone.now(),
            },
        )
        accounts.append(uscc)
    return accounts


class Throttled(Exception):
    """The login form's rate limit (POSTs per address and minute) answered 429."""


def log_in_all(base, accounts):
    """Cookie headers of every account; a run right after another may meet the per-minute POST limit:
    wait for it once."""
    cookies = []
    for uscc in accounts:
        try:
            cookies.append(log_in(base, uscc))
        except Throttled:
            line("", "  login rate limit reached (another run within the minute): waiting 61 s")
            time.sleep(61)
            cookies.append(log_in(base, uscc))
    return cookies


def log_in(base, uscc):
    """Log in through the supplier login form (CSRF token, POST, redirect); returns the Cookie header."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/zfcg/supplier/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = {
        "account": uscc,
        "password": BENCH_PASSWORD,
        "csrfmiddlewaretoken": token.group(1) if token else "",
    }
    request = urllib.request.Request(
        f"{base}/zfcg/supplier/login/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": f"{base}/zfcg/supplier/login/"},
    )
    try:
        opener.open(request, timeout=60).read()
    except urllib.error.HTTPError as error:
        if error.code == 429:
            raise Throttled from None
        raise RuntimeError(f"login of {uscc} refused: HTTP {error.code}") from None
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"login of {uscc} gave no session")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def process_tree(root):
    """The gunicorn master and its workers."""
    pids = [root]
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == root:
            pids.append(int(entry))
    return pids


def memory(pid):
    """{VmRSS, VmHWM} in MiB (HWM: the peak resident size since the process started)."""
    values = {}
    try:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = row.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return values


def _fmt(pids, key):
    return ", ".join(f"{memory(pid).get(key, 0):.0f}" for pid in pids)


def fetch(url, cookie=None, hasher=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=TIME_BOX) as response:
            status = response.status
            while chunk := response.read(1 << 20):
                size += len(chunk)
                if hasher is not None:
                    hasher.update(chunk)
    except urllib.error.HTTPError as error:
        status = error.code
    return time.perf_counter() - started, status, size


def bench_download(base, master, version, accounts):
    from cms.procurement.models import DownloadRecord

    url = f"{base}/zfcg/supplier/download/{version.pk}/"
    for _ in range(6):  # every worker has served the list and the project page
        fetch(f"{base}/zfcg/")
        fetch(f"{base}{version.procurement_file.project.url}")
    started = time.perf_counter()
    try:
        cookies = log_in_all(base, accounts)
    except (RuntimeError, Throttled, OSError) as error:
        line("download", f"SKIPPED: {error!r} (is the supplier login built?)")
        return
    line("supplier logins", f"{len(cookies)} through the login form in {time.perf_counter() - started:.1f} s")
    pids = process_tree(master)
    line(
        "server RSS before", f"MiB master, workers: {_fmt(pids, 'VmRSS')} (peak so far {_fmt(pids, 'VmHWM')})"
    )
    records = DownloadRecord.objects.filter(version=version).count()
    barrier = threading.Barrier(len(cookies))
    results = [None] * len(cookies)

    def one(n):
        hasher = hashlib.sha256()
        barrier.wait()
        seconds, code, size = fetch(url, cookies[n], hasher)
        results[n] = (seconds, code, size, hasher.hexdigest())

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(n,)) for n in range(len(cookies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ok = [r for r in results if r and r[1] == 200 and r[3] == version.sha256 and r[2] == version.size]
    total = sum(r[2] for r in results if r)
    times = sorted(r[0] for r in ok)
    recorded = DownloadRecord.objects.filter(version=version).count() - records
    line(
        "download",
        f"{len(ok)}/{len(cookies)} complete and matching the signed SHA-256; {total / 1e6:,.0f} MB in "
        f"{wall:.2f} s = {total / 1e6 / wall:,.0f} MB/s; per download p50 "
        f"{statistics.median(times) if times else 0:.2f} s, max {times[-1] if times else 0:.2f} s; "
        f"{recorded} downloads recorded",
    )
    if len(ok) < len(cookies):
        wrong = sorted({(r[1], r[2]) for r in results if r and r not in ok})
        line("", f"  failures (status, bytes): {wrong}")
    pids = process_tree(master)
    line("server RSS after", f"MiB master, workers: {_fmt(pids, 'VmRSS')}")
    line("server peak (VmHWM)", f"MiB master, workers: {_fmt(pids, 'VmHWM')}")


# --- list -------------------------------------------------------------------------------------------------

SCENARIO_SHARES = {  # a three-year archive: most projects are done
    "intention": 0.04,
    "announced": 0.01,
    "open": 0.06,
    "closing": 0.02,
    "closed": 0.04,
    "awarded": 0.72,
    "terminated": 0.11,
}


def prepare_list(folders, count, fresh):
    from cms.procurement.models import ProcurementProject

    existing = ProcurementProject.objects.filter(project_number__startswith=f"{LIST_PREFIX}-").count()
    if existing == count and not fresh:
        line("list projects", f"reusing {existing:,} projects")
        return
    started = time.perf_counter()
    if existing:
        delete_list_projects(folders)
    created, lots = insert_projects(folders, count)
    _analyze()
    line(
        "list projects",
        f"{created:,} projects + {lots:,} lots inserted in bulk in {time.perf_counter() - started:.1f} s "
        f"({created / (time.perf_counter() - started):,.0f}/s)",
    )


def _analyze():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("wagtailcore_page", "procurement_procurementproject", "procurement_projectlot"):
                cursor.execute(f"ANALYZE {table}")


def delete_list_projects(folders):
    """Remove the previous run's bulk projects (the rows ``insert_projects`` wrote, nothing else)."""
    from django.db import connection, transaction
    from wagtail.models import Page

    from cms.procurement.models import ProcurementProject, ProjectLot

    ids = list(
        ProcurementProject.objects.filter(project_number__startswith=f"{LIST_PREFIX}-").values_list(
            "pk", flat=True
        )
    )
    tables = [
        (ProjectLot._meta.db_table, "project_id"),
        (ProcurementProject._meta.db_table, "page_ptr_id"),
        (Page._meta.db_table, "id"),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            marks = ", ".join(["%s"] * len(chunk))
            for table, column in tables:
                delete = f"DELETE FROM {connection.ops.quote_name(table)} WHERE {column} IN ({marks})"  # noqa: S608
                cursor.execute(delete, chunk)
        for folder in folders.values():
            children = Page.objects.filter(path__startswith=folder.path, depth=folder.depth + 1).count()
            Page.objects.filter(pk=folder.pk).update(numchild=children)


def _plan_row(rng, n, now):
    """One project's fields: buyer, item, method, budget and a schedule for its scenario."""
    from fixtures import procurement_data as data

    slugs = list(data.BUYERS)
    slug = rng.choices(slugs, [data.BUYERS[s][0] for s in slugs])[0]
    unit, categories = rng.choice(data.BUYERS[slug][1])
    category = rng.choice(categories)
    item, lots, methods, (low, high), _ = rng.choice(data.items_for(unit, category))
    scenario = rng.choices(list(SCENARIO_SHARES), list(SCENARIO_SHARES.values()))[0]
    day = datetime.timedelta(days=1)
    if scenario == "open":
        deadline = now + rng.uniform(4, 25) * day
    elif scenario == "closing":
        deadline = now + rng.uniform(0.1, 2.9) * day
    elif scenario == "closed":
        deadline = now - rng.uniform(0.1, 12) * day
    elif scenario == "announced":
        deadline = now + rng.uniform(21, 30) * day
    else:
        deadline = now - rng.uniform(10, 3 * 365) * day
    tender = deadline - rng.randint(20, 28) * day
    documents_from = now + rng.uniform(1, 3) * day if scenario == "announced" else tender
    budget = Decimal(rng.randint(low * 100, high * 100) * 100)
    row = {
        "slug": slug,
        "unit": unit,
        "category": category,
        "item": item,
        "lots": lots,
        "method": rng.choice(methods),
        "budget": budget,
        "first_published_at": tender - rng.randint(31, 45) * day,
        "tender_published_at": tender,
        "documents_from": documents_from,
        "documents_until": documents_from + 7 * day,
        "bid_deadline": deadline,
        "opening_at": deadline,
        "awarded_at": None,
        "awarded_amount": None,
        "terminated_at": None,
        "latest_notice_at": tender,
    }
    if scenario == "intention":
        row.update(
            dict.fromkeys(
                ("tender_published_at", "documents_from", "documents_until", "bid_deadline", "opening_at")
            ),
            first_published_at=now - rng.uniform(1, 60) * day,
            latest_notice_at=None,
        )
    elif scenario == "awarded":
        row["awarded_at"] = row["latest_notice_at"] = deadline + rng.uniform(3, 15) * day
        row["awarded_amount"] = (budget * Decimal(rng.randint(820, 975)) / 1000).quantize(Decimal("0.01"))
    elif scenario == "terminated":
        row["terminated_at"] = row["latest_notice_at"] = deadline + rng.uniform(0.1, 3) * day
    return row


def insert_projects(folders, count, seed=20261124):
    """``count`` live projects in the department folders, inserted in bulk: one page row each (path, depth
    and url_path as treebeard and Wagtail would set them), the project row beside it, its lots."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from cms.procurement.models import ProcurementProject, ProjectLot
    from fixtures.procurement_data import CONTACTS

    rng = random.Random(seed)
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(ProcurementProject)
    locale = Locale.get_default()
    rows_by_folder = {}
    for n in range(count):
        row = _plan_row(rng, n, now)
        rows_by_folder.setdefault(row["slug"], []).append((n, row))
    fields = ProcurementProject._meta.local_concrete_fields
    table = connection.ops.quote_name(ProcurementProject._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    lot_count = 0
    for slug, rows in rows_by_folder.items():
        folder = folders[slug]
        last = (
            Page.objects.filter(path__startswith=folder.path, depth=folder.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = Page._str2int(last[-Page.steplen :]) if last else 0
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            pages, projects = [], []
            for offset, (n, row) in enumerate(chunk, start=1):
                year = timezone.localtime(row["first_published_at"]).year
                number = f"{LIST_PREFIX}-{year}-{n + 1:05d}"
                slug_text = number.lower()
                published = row["latest_notice_at"] or row["first_published_at"]
                pages.append(
                    Page(
                        title=f"{row['unit']}{year}年{row['item']}",
                        draft_title=f"{row['unit']}{year}年{row['item']}",
                        slug=slug_text,
                        path=Page._get_path(folder.path, folder.depth + 1, step + start + offset),
                        depth=folder.depth + 1,
                        numchild=0,
                        url_path=f"{folder.url_path}{slug_text}/",
                        content_type=content_type,
                        locale=locale,
                        translation_key=uuid.uuid4(),
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=row["first_published_at"],
                        last_published_at=published,
                        latest_revision_created_at=published,
                    )
                )
                projects.append((number, row))
            with transaction.atomic():
                Page.objects.bulk_create(pages)
                values = []
                lots = []
                for page, (number, row) in zip(pages, projects, strict=True):
                    project = ProcurementProject(
                        page_ptr_id=page.pk,
                        project_number=number,
                        buyer=folder.department,
                        buyer_unit="" if row["unit"] == folder.department.name else row["unit"],
                        category=row["category"],
                        method=row["method"],
                        budget=row["budget"],
                        ceiling_price=row["budget"],
                        summary=f"{row['unit']}拟采购{'、'.join(name for name, _ in row['lots'])}。",
                        qualification="满足《中华人民共和国政府采购法》第二十二条规定。",
                        contact_name=CONTACTS[page.pk % len(CONTACTS)],
                        contact_phone=folder.department.phone or "0391-6633001",
                        **{k: row[k] for k in _SCHEDULE},
                    )
                    values.append(
                        [f.get_db_prep_save(getattr(project, f.attname), connection) for f in fields]
                    )
                    share = (row["budget"] / len(row["lots"])).quantize(Decimal("0.01"))
                    for number_in_project, (name, quantity) in enumerate(row["lots"], start=1):
                        lots.append(
                            ProjectLot(
                                project_id=page.pk,
                                sort_order=number_in_project - 1,
                                number=number_in_project,
                                name=name,
                                budget=share,
                                quantity=quantity,
                            )
                        )
                with connection.cursor() as cursor:
                    cursor.executemany(sql, values)
                ProjectLot.objects.bulk_create(lots)
                lot_count += len(lots)
        Page.objects.filter(pk=folder.pk).update(numchild=F("numchild") + len(rows))
    return count, lot_count


_SCHEDULE = (
    "tender_published_at",
    "documents_from",
    "documents_until",
    "bid_deadline",
    "opening_at",
    "awarded_at",
    "awarded_amount",
    "terminated_at",
    "latest_notice_at",
)


def list_queries():
    from django.utils import timezone

    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    return [
        "/zfcg/",
        "/zfcg/?status=open",
        "/zfcg/?status=closing&sort=deadline",
        "/zfcg/?status=awarded&sort=budget_desc",
        "/zfcg/?method=consultation&category=it_services",
        "/zfcg/?buyer=jyj&status=awarded",
        "/zfcg/?band=200w-1000w&status=open",
        "/zfcg/?budget_min=100&budget_max=500&sort=budget_asc",
        f"/zfcg/?published_from={year_ago}&published_to={today}",
        "/zfcg/?q=" + urllib.parse.quote("物业"),
        "/zfcg/?status=awarded&page=50",
        "/zfcg/wjw/?category=medical",
    ]


def _measure(base, queries, concurrency, requests):
    paths = [queries[i % len(queries)] for i in range(requests)]
    deadline = time.monotonic() + TIME_BOX
    by_query, errors = {}, []

    def one(path):
        if time.monotonic() > deadline:
            return path, None, None
        seconds, status, _ = fetch(base + path)
        return path, seconds * 1000, status

    with ThreadPoolExecutor(concurrency) as pool:
        for path, ms, status in pool.map(one, paths):
            if ms is None:
                continue
            if status != 200:
                errors.append((path, status))
            else:
                by_query.setdefault(path, []).append(ms)
    return by_query, errors


def _p95(values):
    values = sorted(values)
    return values[max(0, int(round(len(values) * 0.95)) - 1)]


def bench_list(base, requests):
    queries = list_queries()
    for path in queries:  # warm up; report a filter the list refuses
        _, status, _ = fetch(base + path)
        if status != 200:
            line("list", f"WARNING: {path} answers {status}")
    for concurrency in (1, 8):
        by_query, errors = _measure(base, queries, concurrency, requests)
        timings = [ms for values in by_query.values() for ms in values]
        if not timings:
            line(f"list c={concurrency}", f"no request finished ({len(errors)} errors)")
            continue
        line(
            f"list c={concurrency}",
            f"p50 {statistics.median(timings):.0f} ms, p95 {_p95(timings):.0f} ms over {len(timings)} "
            f"requests of {len(queries)} filter combinations ({len(errors)} errors)",
        )
        if concurrency == 1:
            for path, values in by_query.items():
                line("", f"  {statistics.median(values):6.0f} ms p50  {_p95(values):6.0f} ms p95  {path}")
