"""Benchmark of the annual-filing pre-fill: every manager in one pass, a constant number of
queries, against the per-user loop it replaced.

    .venv/bin/python bench/bench_filing_prefill.py [--managers 100000] [--sample 2000] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
        .venv/bin/python bench/bench_filing_prefill.py

SQLite by default (a file in bench/out/); PostgreSQL when DATABASE_URL names one, in a database
of its own (`tmhub_bench_filing` on that server; the database named in the URL is not touched).
`--keep` reuses the database built by an earlier run; `--quick` is 10,000 managers.

It builds the given number of managers with realistic rows, bulk-created (the bench measures
reading, so the rows are not written through the services): 400 organisations, 60 of them
registered transfer institutions; a profile per manager (85 % registered and listed); about
1.5 transfer-project assignments each over 40,000 projects, a third of the projects with one or
two contracts signed in the year and money received on them, about 1.2 introductions each;
60 % of the managers enrolled in one of 200 cohorts of 8 sessions (attendance, 90 % present)
and half of them with hours recorded outside the platform. Then it prints:

1. the queries of the one-pass pre-fill (`talent.filing.compute_prefill`, every FILING metric of
   the registry) for the first 1,000, 10,000 and all filers: the same number each time;
2. the one pass over every registered manager and institution (`filers_without_filing` +
   `compute_prefill`: what `open_filings` runs before it writes the rows): time and records/s;
3. the per-user loop it replaced, measured in the same run on a sample of managers and
   extrapolated to every (filer, manager) pair, with the ratio and a check that the sample's
   figures are identical: today's path (the filing sources' per-user queries, re-implemented
   in this file: `--sample`, 2,000 managers), and the registry's metrics asked one manager at
   a time (`--metric-sample`, 100: several metrics compute over every project and keep one
   manager's share, so each call costs nearly a whole pass).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pg_bench_db import prepare_database  # noqa: E402

DB_NAME = "tmhub_bench_filing"
YEAR = 2024
PREFIX = "bf"  # user names of the bench's managers
BATCH = 5000


# ---------------------------------------------------------------- database and Django
def _setup(keep: bool) -> tuple[str, bool]:
    """Point Django at the bench database; (description, True when it must be populated)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        base = url.rsplit("/", 1)[0] + "/"
        created = prepare_database(base, DB_NAME, fresh=not keep)
        os.environ["DATABASE_URL"] = base + DB_NAME
        where = f"PostgreSQL {base}{DB_NAME}"
    else:
        path = ROOT / "bench" / "out" / "bench_filing_prefill.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        created = not path.exists()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        where = f"SQLite {path.relative_to(ROOT)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tmhub.test_settings")
    os.environ.setdefault("TALENT_ID_KEY", "bench-only-talent-id-key-not-for-production-00")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    populated = get_user_model().objects.filter(username__startswith=PREFIX).exists()
    return where, created or not populated


def _bulk(model, rows) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _day(rng, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(days))


# ---------------------------------------------------------------- rows
def _populate(managers: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from tmhub.core.choices import OrgKind
    from tmhub.core.models import District
    from tmhub.orgs.choices import RegistrationStatus as OrgStatus
    from tmhub.orgs.models import InstitutionRegistration, Organization
    from tmhub.talent.choices import RegistrationStatus
    from tmhub.talent.models import ManagerProfile, ManagerRegistration
    from tmhub.training.choices import (
        AttendanceStatus,
        CohortStatus,
        EnrolmentStatus,
        Module,
        ProgrammeKind,
        ProviderKind,
    )
    from tmhub.training.models import (
        Attendance,
        Cohort,
        Course,
        Enrolment,
        ExternalHours,
        Programme,
        Session,
        TrainingProvider,
    )
    from tmhub.transfer.choices import ActivityKind, ContractKind, ManagerRole, Stage
    from tmhub.transfer.models import Activity, Contract, Project, ProjectAssignment, Receipt

    rng = random.Random(YEAR)
    started = time.monotonic()
    year_start = datetime.date(YEAR, 1, 1)
    now = timezone.now()
    User = get_user_model()
    with transaction.atomic():
        districts = list(District.objects.all())
        kinds = [
            OrgKind.UNIVERSITY,
            OrgKind.RESEARCH_INSTITUTE,
            OrgKind.MEDICAL,
            OrgKind.ENTERPRISE,
            OrgKind.TRANSFER_AGENCY,
        ]
        orgs = _bulk(
            Organization,
            [
                Organization(
                    name=f"基准机构{i}", kind=kinds[i % len(kinds)], district=rng.choice(districts)
                )
                for i in range(400)
            ],
        )
        _bulk(
            InstitutionRegistration,
            [
                InstitutionRegistration(
                    organization=org,
                    status=OrgStatus.APPROVED,
                    registry_number=f"BJTI-{YEAR}-{i:05d}",
                    premises_address="北京市",
                    business_scope="技术转移服务",
                )
                for i, org in enumerate(orgs[:60])
            ],
        )
        users = _bulk(
            User,
            [
                User(username=f"{PREFIX}{i}", password="!", display_name=f"经理人{i}")
                for i in range(managers)
            ],
        )
        employers = [rng.choice(orgs) for _ in users]
        profiles = _bulk(
            ManagerProfile,
            [
                ManagerProfile(
                    user=user,
                    full_name=user.display_name,
                    employer=employer,
                    work_district=employer.district,
                    is_listed=rng.random() < 0.85,
                    registry_number="",
                    bio="专注科技成果转化。",
                )
                for user, employer in zip(users, employers, strict=True)
            ],
        )
        _bulk(
            ManagerRegistration,
            [
                ManagerRegistration(
                    profile=p,
                    status=RegistrationStatus.REGISTERED,
                    registry_number=f"BJTM-{YEAR}-{i:06d}",
                )
                for i, p in enumerate(profiles)
                if p.is_listed
            ],
        )
        print(
            f"  managers, profiles, registrations: {time.monotonic() - started:.0f} s", flush=True
        )

        # Transfer work: projects, assignments, contracts signed and money received, and
        # introductions, dated inside and outside the year.
        projects = _bulk(
            Project,
            [
                Project(
                    title=f"基准项目{i}",
                    institution=rng.choice(orgs),
                    stage=rng.choice(list(Stage.values)),
                    started_on=datetime.date(YEAR - 1, 6, 1),
                )
                for i in range(40_000)
            ],
        )
        assignments = []
        for user in users:
            for project in rng.sample(projects, rng.choice((0, 1, 1, 2, 2, 3))):
                released = _day(rng, year_start, 365) if rng.random() < 0.2 else None
                assignments.append(
                    ProjectAssignment(
                        project=project,
                        user=user,
                        role=rng.choice(list(ManagerRole.values)),
                        assigned_on=_day(rng, datetime.date(YEAR - 1, 1, 1), 600),
                        released_on=released,
                    )
                )
        _bulk(ProjectAssignment, assignments)
        contracts = []
        for project in projects:
            if rng.random() < 1 / 3:
                for _n in range(rng.choice((1, 1, 2))):
                    contracts.append(
                        Contract(
                            number=f"BC-{len(contracts):06d}",
                            title="技术合同",
                            kind=rng.choice(list(ContractKind.values)),
                            institution=project.institution,
                            project=project,
                            amount_fen=rng.randrange(5_000_000, 500_000_000),
                            signed_on=_day(rng, datetime.date(YEAR - 1, 1, 1), 730),
                        )
                    )
        contracts = _bulk(Contract, contracts)
        _bulk(
            Receipt,
            [
                Receipt(
                    contract=c,
                    received_on=_day(rng, year_start, 365),
                    amount_fen=c.amount_fen // rng.choice((2, 3, 4)) + 1,
                )
                for c in contracts
                for _n in range(rng.choice((0, 1, 2)))
            ],
        )
        _bulk(
            Activity,
            [
                Activity(
                    project=rng.choice(projects),
                    kind=ActivityKind.INTRODUCTION,
                    manager=user,
                    summary="介绍企业对接",
                    counterpart=rng.choice(orgs),
                    occurred_at=now.replace(year=YEAR, month=rng.randint(1, 12), day=15),
                )
                for user in users
                for _n in range(rng.choice((0, 1, 1, 2, 2)))
            ],
        )
        print(f"  transfer rows: {time.monotonic() - started:.0f} s", flush=True)

        # Training: cohorts of 8 sessions with attendance, and hours from outside the platform.
        provider = TrainingProvider.objects.create(
            name_zh="基准培训机构", kind=ProviderKind.UNIVERSITY, organization=orgs[0]
        )
        programme = Programme.objects.create(
            name_zh="继续教育", code="bench-ce", provider=provider, kind=ProgrammeKind.CONTINUING
        )
        course = Course.objects.create(
            name_zh="技术转移实务",
            programme=programme,
            code="BC1",
            module=Module.PRACTICE,
            hours=Decimal("3"),
        )
        cohorts = _bulk(
            Cohort,
            [
                Cohort(
                    programme=programme,
                    code=f"bench-{i}",
                    title=f"第{i}期",
                    status=CohortStatus.FINISHED,
                    start_date=year_start,
                    end_date=datetime.date(YEAR, 12, 31),
                    capacity=1000,
                )
                for i in range(200)
            ],
        )
        sessions = {
            c.pk: _bulk(
                Session,
                [
                    Session(
                        cohort=c, course=course, date=_day(rng, year_start, 365), hours=Decimal("3")
                    )
                    for _n in range(8)
                ],
            )
            for c in cohorts
        }
        enrolled = [u for u in users if rng.random() < 0.6]
        enrolments = _bulk(
            Enrolment,
            [
                Enrolment(cohort=rng.choice(cohorts), trainee=u, status=EnrolmentStatus.COMPLETED)
                for u in enrolled
            ],
        )
        attendance = []
        for enrolment in enrolments:
            for session in sessions[enrolment.cohort_id]:
                present = rng.random() < 0.9
                attendance.append(
                    Attendance(
                        enrolment=enrolment,
                        session=session,
                        status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
                        hours=session.hours if present else Decimal(0),
                    )
                )
        _bulk(Attendance, attendance)
        _bulk(
            ExternalHours,
            [
                ExternalHours(
                    trainee=u,
                    date=_day(rng, year_start, 365),
                    title="行业会议",
                    hours=Decimal(rng.choice(("1.5", "2", "4", "6"))),
                )
                for u in users
                if rng.random() < 0.5
            ],
        )
    # Fresh statistics, as a production database has them (the planner's choices depend on it).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rows = (
        len(users) * 2
        + len(assignments)
        + len(contracts)
        + len(attendance)
        + len(enrolments)
        + len(projects)
    )
    print(f"  populated ({rows:,}+ rows) in {time.monotonic() - started:.0f} s", flush=True)


# ---------------------------------------------------------------- measurements
def _queries(call) -> tuple[object, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured.captured_queries)


def _old_sources():
    """Today's replaced path, re-implemented: the per-user functions the filing-source registry
    called for each manager (transfer/selectors.py and training/selectors.py before the
    metrics registry), one query per figure and manager."""
    from django.db.models import Q, Sum

    from tmhub.training.choices import CREDITED_ATTENDANCE
    from tmhub.training.models import Attendance, ExternalHours
    from tmhub.transfer.choices import ActivityKind
    from tmhub.transfer.models import Activity, Contract, ProjectAssignment, Receipt

    def bounds(year):
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def projects_served(user_id, year):
        start, end = bounds(year)
        return (
            ProjectAssignment.objects.filter(user_id=user_id, assigned_on__lte=end)
            .filter(Q(released_on__isnull=True) | Q(released_on__gte=start))
            .values("project_id")
            .distinct()
            .count()
        )

    def contracts_signed(user_id, year):
        assigned = ProjectAssignment.objects.filter(user_id=user_id).values("project_id")
        return Contract.objects.filter(project__in=assigned, signed_on__range=bounds(year)).count()

    def income_fen(user_id, year):
        assigned = ProjectAssignment.objects.filter(user_id=user_id).values("project_id")
        return (
            Receipt.objects.filter(
                contract__project__in=assigned, received_on__range=bounds(year)
            ).aggregate(total=Sum("amount_fen"))["total"]
            or 0
        )

    def introductions(user_id, year):
        return Activity.objects.filter(
            manager_id=user_id, kind=ActivityKind.INTRODUCTION, occurred_at__year=year
        ).count()

    def training_hours(user_id, year):
        from decimal import ROUND_HALF_UP

        cohort = (
            Attendance.objects.filter(
                enrolment__trainee_id=user_id,
                session__date__year=year,
                status__in=CREDITED_ATTENDANCE,
            ).aggregate(total=Sum("hours"))["total"]
            or 0
        )
        outside = (
            ExternalHours.objects.filter(trainee_id=user_id, date__year=year).aggregate(
                total=Sum("hours")
            )["total"]
            or 0
        )
        return (Decimal(cohort) + Decimal(outside)).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    return {
        "transfer_projects_served": projects_served,
        "transfer_contracts_signed": contracts_signed,
        "transfer_income_fen": income_fen,
        "transfer_introductions": introductions,
        "training_hours": training_hours,
    }


def _per_user_loop(subjects: dict, year: int, figure_of) -> dict:
    """{filer: {key: number}} asking `figure_of(key)(user_id, year)` one manager at a time."""
    from tmhub.core import metrics
    from tmhub.core.metrics import FILING
    from tmhub.talent.filing import to_json_number

    figures = {}
    for filer, ids in subjects.items():
        figures[filer] = {}
        for metric in metrics.tagged(FILING):
            func = figure_of(metric)
            total = sum((Decimal(func(uid, year) or 0) for uid in ids), Decimal(0))
            figures[filer][metric.key] = to_json_number(total)
    return figures


def _metric_one_at_a_time(metric):
    from tmhub.core.metrics import Period

    return lambda uid, year: metric.values([uid], Period.year(year)).get(uid, 0)


def _baseline(label, sample, figures, figure_of, pairs, one_pass) -> bool:
    started = time.perf_counter()
    looped = _per_user_loop(sample, YEAR, figure_of)
    spent = time.perf_counter() - started
    extrapolated = spent / max(len(sample), 1) * pairs
    same = all(looped[k] == figures[k] for k in sample)
    print(
        f"  {label}:\n"
        f"    {len(sample):,} managers measured in {spent:.2f} s = "
        f"{len(sample) / spent:,.0f} records/s; extrapolated to the {pairs:,} filer-manager "
        f"pairs: {extrapolated:,.0f} s (an estimate from the sample, not a measurement)\n"
        f"    ratio to the one pass: {extrapolated / one_pass:,.0f}x; the sample's figures "
        f"identical to the one pass's: {'yes' if same else 'NO'}"
    )
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--managers", type=int, default=100_000)
    parser.add_argument(
        "--sample",
        type=int,
        default=2000,
        help="managers timed on today's per-user loop (extrapolated)",
    )
    parser.add_argument(
        "--metric-sample",
        type=int,
        default=100,
        help="managers timed asking each metric one manager at a time",
    )
    parser.add_argument("--keep", action="store_true", help="reuse the database of a past run")
    parser.add_argument("--quick", action="store_true", help="10,000 managers")
    args = parser.parse_args()
    managers = 10_000 if args.quick else args.managers
    where, fresh = _setup(args.keep)
    if fresh:
        print(f"Building {managers:,} managers in {where} …", flush=True)
        _populate(managers)
    from tmhub.core import metrics
    from tmhub.core.metrics import FILING
    from tmhub.talent import filing

    keys = [m.key for m in metrics.tagged(FILING)]
    print(f"Annual-filing pre-fill, {where}; FILING metrics: {', '.join(keys)}")
    ok = True

    # 1. Queries: the same whatever the number of managers pre-filled.
    from tmhub.talent.models import ManagerProfile

    filers, filer_queries = _queries(lambda: filing.filers_without_filing(YEAR))
    subjects = filers.subjects()
    managers_only = [k for k in subjects if k[0] == "manager"]
    everyone = list(ManagerProfile.objects.order_by("pk").values_list("user_id", flat=True))
    counts = []
    for size in sorted({1_000, 10_000, 100_000, len(everyone)}):
        if size > len(everyone):
            continue
        part = {uid: [uid] for uid in everyone[:size]}
        counts.append((size, _queries(lambda part=part: filing.compute_prefill(part, YEAR))[1]))
    print(f"  finding the filers: {filer_queries} queries, whatever their number")
    print(
        "  queries of the pre-fill: " + ", ".join(f"{size:,} managers → {n}" for size, n in counts)
    )
    constant = len({n for _size, n in counts}) == 1
    ok &= constant

    # 2. The one pass over every filer (what open_filings computes before writing).
    started = time.perf_counter()
    filers = filing.filers_without_filing(YEAR)
    subjects = filers.subjects()
    figures = filing.compute_prefill(subjects, YEAR)
    one_pass = time.perf_counter() - started
    pairs = sum(len(ids) for ids in subjects.values())
    print(
        f"  one pass: {len(subjects):,} filers ({len(filers.registrations):,} managers, "
        f"{len(filers.institutions)} institutions; {pairs:,} filer-manager pairs) in "
        f"{one_pass:.2f} s = {len(subjects) / one_pass:,.0f} records/s"
    )

    # 3. Per-user loops on samples, extrapolated to every (filer, manager) pair.
    old = _old_sources()
    sample = {k: subjects[k] for k in managers_only[: args.sample]}
    ok &= _baseline(
        "per-user loop, today's replaced path (the filing sources' per-user "
        "queries, re-implemented here)",
        sample,
        figures,
        lambda metric: old[metric.key],
        pairs,
        one_pass,
    )
    sample = {k: subjects[k] for k in managers_only[: args.metric_sample]}
    ok &= _baseline(
        "per-user loop over the registry's metrics (each FILING metric asked for "
        "one manager at a time; several compute over every project and keep one "
        "manager's share, so one call costs nearly a whole pass)",
        sample,
        figures,
        _metric_one_at_a_time,
        pairs,
        one_pass,
    )
    print("RESULT:", "constant queries, identical figures" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
