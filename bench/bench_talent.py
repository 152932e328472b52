"""Benchmark of the technology-manager directory on PostgreSQL.

    .venv/bin/python bench/bench_talent.py [--managers 100000] [--queries 240] [--keep]

Builds (once; `--keep` reuses it) a database `tmhub_bench_talent` on the PostgreSQL server of
$BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/) holding the given number of managers
with a realistic spread (districts weighted to Haidian/Chaoyang, 400 employers, 1-3 industry
fields with the priority fields most common, 1-4 competences, 50/30/20 % training levels,
85 % registered and listed), their jieba-segmented search text computed by the same code the
service uses. Then requests, anonymously and through the full view (SQL + template), the
directory with jieba searches (Chinese and English) and with filtered lists, plus the API, and
prints p50 / p95 / max latency against the 100 ms target and the SQL queries per page at
several page sizes (they must not grow with the page size).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pg_bench_db import prepare_database, setup_django  # noqa: E402

TARGET_MS = 100
DB_NAME = "tmhub_bench_talent"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾"
            "萧田董潘袁蔡蒋余于杜叶程")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲芬燕彬鹏辉宇"
         "浩凯健俊帆旭宁琳晨欣怡博文思远志诚嘉瑞")
TOPICS = ["芯片设计", "医疗器械", "创新药", "自动驾驶", "工业机器人", "新材料", "储能电池",
          "基因治疗", "大模型", "量子计算", "卫星通信", "智慧农业", "精准医疗", "光伏",
          "区块链", "脑机接口"]
BIOS = [
    "长期从事{t}领域科技成果转化，擅长{c}，累计促成技术合同{n}项。",
    "{t}方向技术经理人，具有{c}经验，服务高校院所与企业技术对接{n}次。",
    "专注{t}成果的概念验证与孵化，熟悉{c}，参与组建科技型企业{n}家。",
    "曾任{t}企业研发负责人，现从事{c}与技术许可谈判工作。",
]
DISTRICT_WEIGHTS = {"110108": 30, "110105": 14, "110114": 8, "110115": 6, "BDA": 6,
                    "110106": 5, "110102": 5, "110101": 4, "110112": 4, "110113": 4,
                    "110111": 3, "110107": 3, "110109": 2, "110116": 2, "110117": 1,
                    "110118": 1, "110119": 1}


def _prepare_database(base_url: str, fresh: bool) -> bool:
    return prepare_database(base_url, DB_NAME, fresh)


def _setup_django(base_url: str):
    setup_django(base_url, DB_NAME)
    try:
        import tmhub.urls  # noqa: F401
    except ImportError as exc:
        # Another app of the shared working tree may be mid-edit; measure with the URLs the
        # directory needs (same views, templates and middleware).
        from django.conf import settings

        print(f"  note: project URLs do not import ({exc}); using bench URLs")
        settings.ROOT_URLCONF = _FallbackURLs()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # out-of-range pages: 404


class _FallbackURLs:
    """The project's URL map minus apps that fail to import (a URLconf object, not a path)."""

    @property
    def urlpatterns(self):
        from django.urls import include, path

        return [
            path("", include("tmhub.core.urls")),
            path("accounts/", include("tmhub.accounts.urls")),
            path("orgs/", include("tmhub.orgs.urls")),
            path("talent/", include("tmhub.talent.urls")),
            path("i18n/", include("django.conf.urls.i18n")),
            path("api/v1/", include("tmhub.talent.api.urls")),
            path("api/docs/", include("tmhub.talent.api.urls"), name="api-docs"),
        ]


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _populate(managers: int) -> None:
    """Set-wise writes (COPY): the benchmark measures reading. Search text is computed by
    tmhub.talent.search.index_tokens, exactly as the service computes it."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from tmhub.core.chinese_text import pinyin_key
    from tmhub.core.models import District, IndustryField
    from tmhub.talent.models import Competence
    from tmhub.talent.search import index_tokens

    rng = random.Random(2025)
    started = time.monotonic()
    districts = {d.code: d for d in District.objects.all()}
    fields = list(IndustryField.objects.all())
    field_weights = [6 if f.is_priority else 1 for f in fields]
    competences = list(Competence.objects.all())
    codes = list(DISTRICT_WEIGHTS)
    weights = list(DISTRICT_WEIGHTS.values())
    raw = connection.connection  # psycopg connection for COPY
    with raw.cursor() as cur:
        kinds = ["university", "research_institute", "medical", "enterprise", "transfer_agency"]
        orgs = []
        for g in range(400):
            district = districts[rng.choices(codes, weights)[0]]
            suffix = ["大学", "研究院", "医院", "科技有限公司", "技术转移中心"][g % 5]
            orgs.append((f"基准{suffix}{g}", pinyin_key(f"基准{suffix}{g}"),
                         f"Bench org {g}", kinds[g % 5], "", "", district.id, True, "", "", "",
                         "", "", "", True, "2024-01-01", "2024-01-01"))
        _copy(cur, "orgs_organization",
              ["name", "name_pinyin", "name_en", "kind", "institution_code",
               "supervising_department",
               "district_id", "has_transfer_office", "address", "website", "description",
               "contact_name", "contact_phone", "contact_email", "is_active", "created_at",
               "updated_at"], orgs)
        cur.execute("SELECT id, name, name_en, district_id FROM orgs_organization "
                    "WHERE name LIKE '基准%%' ORDER BY id")
        org_rows = cur.fetchall()
        # Users through the ORM's bulk insert: every column another module adds to the user
        # gets its model default, so the bench does not break on each new field.
        from tmhub.accounts.models import User

        joined = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        User.objects.bulk_create(
            (User(username=f"bt{g}", password="!", date_joined=joined)
             for g in range(managers)), batch_size=5000)
        cur.execute("SELECT id FROM accounts_user WHERE username LIKE 'bt%%' ORDER BY id")
        user_ids = [r[0] for r in cur.fetchall()]
        district_by_id = {d.id: d for d in districts.values()}
        profiles, field_links, comp_links = [], [], []
        levels = ["junior"] * 5 + ["intermediate"] * 3 + ["senior"] * 2
        titles = ["none", "none", "assistant_engineer", "engineer", "engineer",
                  "senior_engineer", "professor_engineer"]
        for index, user_id in enumerate(user_ids):
            org_id, org_name, org_en, district_id = rng.choice(org_rows)
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2, 2))))
            chosen_fields = list({f.id: f for f in rng.choices(fields, field_weights,
                                                               k=rng.randint(1, 3))}.values())
            chosen_comps = rng.sample(competences, rng.randint(1, 4))
            bio = rng.choice(BIOS).format(t=rng.choice(TOPICS),
                                          c="、".join(c.name_zh for c in chosen_comps),
                                          n=rng.randint(1, 40))
            district = district_by_id[district_id]
            texts = [bio, org_name, org_en, district.name_zh, district.name_en]
            for item in chosen_fields + chosen_comps:
                texts += [item.name_zh, item.name_en, item.code]
            listed = rng.random() < 0.85
            number = f"BJTM-2024-{index + 1:06d}" if listed else ""
            search_text = " ".join(index_tokens(*texts, number, names=(name,)))
            profiles.append((
                user_id, name, pinyin_key(name, person=True), "", "resident_id", "", None,
                "110***********12", "中国", org_id,
                rng.choice(["full_time", "full_time", "part_time"]), district_id, "",
                rng.choice(["bachelor", "master", "master", "doctor"]), "", "", "",
                rng.choice(levels), "", rng.choice(titles),
                rng.choice(["selected", "selected", "recruited", "trained", "trained"]),
                rng.randint(0, 25), bio, "", "", "", listed, number,
                "2024-06-01" if listed else None, search_text, "2024-01-01", "2024-01-01",
            ))
            field_links += [(index, f.id) for f in chosen_fields]
            comp_links += [(index, c.id) for c in chosen_comps]
        print(f"  segmented {managers} profiles in {time.monotonic() - started:.0f} s")
        _copy(cur, "talent_managerprofile",
              ["user_id", "full_name", "name_pinyin", "name_en", "identity_type",
               "id_number_encrypted",
               "id_number_digest", "id_number_masked", "nationality", "employer_id",
               "employment_type", "work_district_id", "position", "degree", "school", "major",
               "languages", "training_level", "claimed_training_level", "professional_title",
               "entry_route",
               "years_experience", "bio", "photo", "phone", "email", "is_listed",
               "registry_number", "registered_at", "search_text", "created_at", "updated_at"],
              profiles)
        cur.execute("SELECT id FROM talent_managerprofile ORDER BY user_id")
        profile_ids = [r[0] for r in cur.fetchall()]
        _copy(cur, "talent_managerprofile_fields", ["managerprofile_id", "industryfield_id"],
              ((profile_ids[i], f) for i, f in field_links))
        _copy(cur, "talent_managerprofile_competences", ["managerprofile_id", "competence_id"],
              ((profile_ids[i], c) for i, c in comp_links))
        cur.execute("ANALYZE")
    raw.commit()
    print(f"  populated in {time.monotonic() - started:.0f} s")


def _migrate_kept() -> None:
    """A kept database gets the current schema (indexes, search vector) before measuring."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        print(f"  applying {len(plan)} new migration(s) to the kept database")
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # fresh statistics and visibility map


def _queries(n: int) -> tuple[list[str], list[str]]:
    from tmhub.core.models import District, IndustryField
    from tmhub.orgs.models import Organization
    from tmhub.talent.models import Competence

    rng = random.Random(7)
    words = ["人工智能", "专利", "医疗器械", "谈判", "芯片", "创新药", "知识产权", "技术许可",
             "投融资", "孵化", "artificial intelligence", "patent", "negotiation",
             "medicine", "valuation", "王伟", "李", "张敏", "海淀", "研究院", "大模型 专利",
             "储能电池 投融资", "量子计算", "概念验证"]
    fields = list(IndustryField.objects.values_list("id", flat=True))
    comps = list(Competence.objects.values_list("id", flat=True))
    districts = list(District.objects.values_list("id", flat=True))
    orgs = list(Organization.objects.filter(name__startswith="基准").values_list("id", flat=True))
    sorts = ["", "&ordering=name", "&ordering=-registered", "&ordering=-experience"]
    search, filtered = [], []
    for _i in range(n):
        q = rng.choice(words)
        extra = rng.choice(["", f"&field={rng.choice(fields)}", "&level=senior",
                            f"&district={rng.choice(districts)}"])
        search.append(f"q={q}{extra}{rng.choice(sorts)}&page={rng.choice([1, 1, 1, 2, 3])}")
        parts = rng.sample([f"field={rng.choice(fields)}", f"competence={rng.choice(comps)}",
                            f"district={rng.choice(districts)}",
                            f"institution={rng.choice(orgs)}",
                            f"level={rng.choice(['junior', 'intermediate', 'senior'])}",
                            f"title={rng.choice(['engineer', 'senior_engineer'])}",
                            f"route={rng.choice(['selected', 'recruited', 'trained'])}"],
                           rng.randint(1, 3))
        filtered.append("&".join(parts) + rng.choice(sorts)
                        + f"&page={rng.choice([1, 1, 2, 5, 20])}")
    return search, filtered


def _measure(client, path: str, queries: list[str]) -> list[float]:
    timings = []
    for query in queries:
        started = time.perf_counter()
        response = client.get(f"{path}?{query}")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 404), (query, response.status_code)
    return timings


def _summary(label: str, timings: list[float]) -> bool:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    ok = p95 < TARGET_MS
    print(f"  {label:<38} n={len(ordered):4d}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
          f"max {ordered[-1]:6.1f} ms  {'OK' if ok else 'OVER'} (target p95 < {TARGET_MS} ms)")
    return ok


def _query_counts(client) -> bool:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print("SQL queries per page (must not depend on page size):")
    same = True
    for label, path, extra in [("directory, search", "/talent/", "q=人工智能"),
                               ("directory, filtered", "/talent/", "level=senior"),
                               ("API /api/v1/managers/", "/api/v1/managers/", "q=专利")]:
        counts = []
        for size in (10, 20, 50, 100):
            with CaptureQueriesContext(connection) as ctx:
                client.get(f"{path}?{extra}&page_size={size}")
            counts.append(len(ctx.captured_queries))
        same &= len(set(counts)) == 1
        print(f"  {label:<30} page size 10/20/50/100 -> {counts}")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--managers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--keep", action="store_true", help="reuse an existing database")
    args = parser.parse_args()
    base_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    created = _prepare_database(base_url, fresh=not args.keep)
    _setup_django(base_url)
    from django.test import Client

    if created:
        print(f"Seeding {args.managers} managers into {DB_NAME} …")
        _populate(args.managers)
    else:
        _migrate_kept()
    from tmhub.talent.models import ManagerProfile

    total = ManagerProfile.objects.count()
    listed = ManagerProfile.objects.filter(is_listed=True).count()
    print(f"Directory benchmark: {total} managers ({listed} listed), PostgreSQL, "
          f"anonymous, full view (SQL + template)")
    client = Client()
    search, filtered = _queries(args.queries)
    _measure(client, "/talent/", search[:20] + filtered[:20])  # warm-up (jieba, caches)
    ok = _summary("directory: jieba search", _measure(client, "/talent/", search))
    ok &= _summary("directory: filtered list", _measure(client, "/talent/", filtered))
    ok &= _summary("API: search", _measure(client, "/api/v1/managers/", search))
    ok &= _summary("API: filtered list", _measure(client, "/api/v1/managers/", filtered))
    ok &= _query_counts(client)
    print("RESULT:", "all targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
