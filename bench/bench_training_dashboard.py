"""Benchmark of the training progress dashboard on PostgreSQL.

    .venv/bin/python bench/bench_training_dashboard.py [--managers 100000] [--runs 40] [--keep]

Builds (once; `--keep` reuses it) a database `tmhub_bench_training` on the PostgreSQL server of
$BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/) with the given number of managers
(users, talent profiles, manager memberships), about 1.5 enrolments each in 3,000 cohorts,
certificates for those who completed and ~1,000,000 attendance records, then sums the
dashboard's running totals from those records with the same code the migration and the repair
use (`figures.rebuild()`); then requests the dashboard page (full view: queries + template) as
the municipal administrator and as the Haidian district officer:

- cold: the dashboard cache is invalidated before every request (as after any training write),
  so every figure is read from the database; this is the figure the target applies to;
- warm: served from the cache as deployed, for reference.

It prints p50 / p95 / max latency against the 300 ms target and the load average (the machine
is shared); the exit status is 1 when a cold p95 is over the target.

Then it edits the work district of trained managers through the talent service, as the talent
pool's page does: training's subscriber (tmhub/training/subscriptions.py) moves their totals
in the edit's transaction. It prints the edit's latency with and without that subscriber
(the same edits, measured in the same run) and checks the totals against the records.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pg_bench_db import prepare_database, setup_django  # noqa: E402

BUDGET_MS = 300
DB_NAME = "tmhub_bench_training"


def _prepare_database(base_url: str, fresh: bool) -> bool:
    return prepare_database(base_url, DB_NAME, fresh)


def _setup_django(base_url: str):
    setup_django(base_url, DB_NAME)


def _populate(managers: int) -> None:
    """Bulk SQL: the benchmark measures reading, so rows are written set-wise."""
    from django.db import connection

    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.models import District
    from tmhub.core.roles import Role

    started = time.monotonic()
    admin = create_user(actor=SYSTEM, username="bench_city", password="bench-pass-2025")
    grant_membership(actor=SYSTEM, user=admin, role=Role.MUNICIPAL_ADMIN)
    officer = create_user(actor=SYSTEM, username="bench_haidian", password="bench-pass-2025")
    grant_membership(actor=SYSTEM, user=officer, role=Role.DISTRICT_OFFICER,
                     district=District.objects.get(code="110108"))
    manager = Role.MANAGER.value  # the role as stored, for the bulk SQL below
    cohorts = 3000
    with connection.cursor() as cur:
        sql = [
            # 400 employers spread over the districts and kinds
            """INSERT INTO orgs_organization (name, name_en, kind, institution_code,
                 supervising_department, district_id, has_transfer_office, address, website,
                 description, contact_name, contact_phone, contact_email, is_active,
                 created_at, updated_at)
               SELECT '单位' || g, '', (ARRAY['university','research_institute','medical',
                 'enterprise','transfer_agency'])[1 + g % 5], '', '',
                 (SELECT id FROM core_district ORDER BY id OFFSET g % 17 LIMIT 1), true, '', '',
                 '', '', '', '', true, now(), now() FROM generate_series(1, 400) g""",
            f"""INSERT INTO accounts_user (password, is_superuser, username, first_name,
                 last_name, email, is_staff, is_active, date_joined, display_name, phone)
               SELECT '!', false, 'bm' || g, '', '', '', false, true, now(), '经理人' || g, ''
               FROM generate_series(1, {managers}) g""",
            f"""INSERT INTO accounts_membership (user_id, role, organization_id, department,
                 is_active, created_at)
               SELECT u.id, '{manager}', o.id, '', true, now() FROM accounts_user u
               JOIN orgs_organization o ON o.name = '单位' || (1 + u.id % 400)
               WHERE u.username LIKE 'bm%%'""",
            f"""INSERT INTO talent_managerprofile (user_id, full_name, name_en, identity_type,
                 id_number_encrypted, id_number_masked, nationality, employer_id,
                 employment_type, work_district_id, position, degree, school, major,
                 languages, training_level, professional_title, entry_route, years_experience,
                 bio, photo, phone, email, is_listed, registry_number, search_text,
                 created_at, updated_at)
               SELECT u.id, u.display_name, '', 'resident_id', '', '', '中国', m.organization_id,
                 'full_time', o.district_id, '', '', '', '', '', '', 'none',
                 (ARRAY['selected','recruited','trained'])[1 + u.id % 3], 3, '', '', '', '',
                 true, '', '', now(), now()
               FROM accounts_user u JOIN accounts_membership m ON m.user_id = u.id
               JOIN orgs_organization o ON o.id = m.organization_id
               WHERE m.role = '{manager}'""",
            """INSERT INTO talent_managerprofile_fields (managerprofile_id, industryfield_id)
               SELECT p.id, (SELECT id FROM core_industryfield ORDER BY id
                             OFFSET p.id % 8 LIMIT 1) FROM talent_managerprofile p""",
            """INSERT INTO training_trainingprovider (name_zh, name_en, description_zh,
                 description_en, kind, country, website, is_active, created_at, updated_at)
               VALUES ('基准培训机构', 'Bench provider', '', '', 'university', '中国', '', true,
                       now(), now())""",
            """INSERT INTO training_programme (name_zh, name_en, description_zh, description_en,
                 code, provider_id, kind, level, is_published, created_at, updated_at)
               SELECT '项目' || lv, '', '', '', 'bench-' || lv,
                 (SELECT id FROM training_trainingprovider LIMIT 1), 'certification', lv, true,
                 now(), now() FROM unnest(ARRAY['junior','intermediate','senior']) lv""",
            """INSERT INTO training_course (name_zh, name_en, description_zh, description_en,
                 programme_id, code, module, hours, is_elective, sort_order, created_at,
                 updated_at)
               SELECT '课程' || m, '', '', '', p.id, 'C' || m,
                 (ARRAY['general','policy','practice','advanced'])[m], 12, false, m, now(), now()
               FROM training_programme p, generate_series(1, 4) m""",
            f"""INSERT INTO training_cohort (programme_id, code, title, status, start_date,
                 end_date, capacity, mode, location, notes, created_at, updated_at)
               SELECT (SELECT id FROM training_programme ORDER BY id OFFSET g % 3 LIMIT 1),
                 'bench-' || g, '班' || g, 'finished',
                 CURRENT_DATE - 1800 + (g * 1770 / {cohorts}),
                 CURRENT_DATE - 1780 + (g * 1770 / {cohorts}), 60, 'in_person', '', '',
                 now(), now() FROM generate_series(1, {cohorts}) g""",
            """INSERT INTO training_session (cohort_id, course_id, date, hours,
                 credited_hours_total)
               SELECT c.id, co.id, c.start_date + s, 6, 0 FROM training_cohort c
               JOIN training_course co ON co.programme_id = c.programme_id,
               generate_series(0, 1) s""",
            # 1.5 enrolments per manager: everyone once, every other manager twice
            f"""INSERT INTO training_enrolment (cohort_id, trainee_id, organization_id, status,
                 source, motivation, hours_attended, created_at, updated_at)
               SELECT c.id, m.user_id, m.organization_id,
                 CASE WHEN (m.user_id + k) % 5 = 0 THEN 'not_completed' ELSE 'completed' END,
                 'self', '', 0, c.start_date - 15, now()
               FROM accounts_membership m, generate_series(0, 1) k,
                 LATERAL (SELECT id, start_date FROM training_cohort
                          WHERE code = 'bench-' || (1 + (m.user_id * 7 + k * 13) % {cohorts}))
                 c
               WHERE m.role = '{manager}' AND (k = 0 OR m.user_id % 2 = 0)""",
            # about 1,000,000 attendance rows (sessions of each enrolment's cohort)
            """INSERT INTO training_attendance (enrolment_id, session_id, status, hours,
                 recorded_at)
               SELECT e.id, s.id, CASE WHEN (e.id + s.id) % 11 = 0 THEN 'absent'
                 ELSE 'present' END, CASE WHEN (e.id + s.id) % 11 = 0 THEN 0 ELSE s.hours END,
                 now()
               FROM training_enrolment e JOIN training_session s ON s.cohort_id = e.cohort_id
               WHERE (e.id + s.id) % 6 <> 0""",
            """UPDATE training_session s SET credited_hours_total = a.h FROM (
                 SELECT session_id, sum(hours) h FROM training_attendance GROUP BY session_id) a
               WHERE a.session_id = s.id""",
            """UPDATE training_enrolment e SET hours_attended = a.h FROM (
                 SELECT enrolment_id, sum(hours) h FROM training_attendance
                 GROUP BY enrolment_id) a WHERE a.enrolment_id = e.id""",
            """INSERT INTO training_certificate (number, enrolment_id, trainee_id,
                 organization_id, holder_name, level, hours, issued_at, status,
                 revocation_reason)
               SELECT 'BENCH-' || e.id, e.id, e.trainee_id, e.organization_id, '经理人',
                 p.level, e.hours_attended, c.end_date + time '10:00', 'valid', ''
               FROM training_enrolment e JOIN training_cohort c ON c.id = e.cohort_id
               JOIN training_programme p ON p.id = c.programme_id
               WHERE e.status = 'completed'""",
            # the per-manager summary the certificate services keep
            """INSERT INTO training_trainedmanager (trainee_id, organization_id,
                 first_certified_at, highest_level, valid_certificates)
               SELECT trainee_id, (array_agg(organization_id ORDER BY issued_at DESC))[1],
                 min(issued_at), (array_agg(level ORDER BY CASE level WHEN 'senior' THEN 3
                 WHEN 'intermediate' THEN 2 ELSE 1 END DESC))[1], count(*)
               FROM training_certificate WHERE status = 'valid' GROUP BY trainee_id""",
        ]
        for statement in sql:
            cur.execute(statement)
        cur.execute("SELECT count(*) FROM training_attendance")
        attendance = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM training_enrolment")
        enrolments = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM training_certificate")
        certificates = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM training_trainedmanager")
        trained = cur.fetchone()[0]
    from tmhub.training.dashboard.figures import rebuild

    built = time.monotonic()
    cells = rebuild()
    print(f"summed the dashboard totals ({cells:,} cells) in {time.monotonic() - built:.1f}s")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"built {managers:,} managers ({trained:,} trained), {enrolments:,} enrolments, "
          f"{certificates:,} certificates, {attendance:,} attendance rows in "
          f"{time.monotonic() - started:.0f}s")


def _second_factor(client, user) -> None:
    """The city signs in with two-factor sign-in: enter a real code of a bench authenticator
    (otherwise every request would measure the redirect to the verification page)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tmhub.accounts.two_factor import requires_two_factor

    if not requires_two_factor(user):
        return
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post("/accounts/two-factor/verify/", {"token": f"{code:06d}"})
    assert response.status_code == 302, "the bench's second factor was refused"


def _measure(username: str, runs: int, cold: bool) -> list[float]:
    from django.test import Client, override_settings

    from tmhub.accounts.models import User
    from tmhub.training.dashboard import cache as dashboard_cache

    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    _second_factor(client, user)
    timings = []
    with override_settings(TRAINING_DASHBOARD_CACHE_SECONDS=300):
        client.get("/training/dashboard/")  # warm-up (connection, templates, cache)
        for _ in range(runs):
            if cold:
                dashboard_cache._bump()  # what every training write does: cached figures go
            started = time.perf_counter()
            response = client.get("/training/dashboard/")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--managers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="reuse an existing bench database")
    args = parser.parse_args()
    base_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    created = _prepare_database(base_url, fresh=not args.keep)
    _setup_django(base_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a kept database gets new migrations (and totals)
    if created:
        _populate(args.managers)
    _print_sizes()
    ok = True
    print(f"target: p95 < {BUDGET_MS} ms with the cache cold (the figure that counts); "
          f"load average {_load()} on {os.cpu_count()} CPUs")
    for mode, cold in (("cold (cache invalidated before each request)", True),
                       ("warm (served from the cache)", False)):
        for label, username in (("municipal administrator (whole city)", "bench_city"),
                                ("district officer (Haidian)", "bench_haidian")):
            timings = sorted(_measure(username, args.runs, cold))
            p50 = statistics.median(timings)
            p95 = timings[max(math.ceil(len(timings) * 0.95) - 1, 0)]
            if cold:
                ok &= p95 < BUDGET_MS
            print(f"{mode}, {label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max "
                  f"{timings[-1]:.0f} ms over {len(timings)} requests; p95 / {BUDGET_MS} ms "
                  f"target = {p95 / BUDGET_MS:.2f} {'OK' if p95 < BUDGET_MS else 'OVER'}")
    ok &= _measure_profile_edits(args.runs)
    print(f"load average after: {_load()}")
    return 0 if ok else 1


def _edit_timings(profiles, districts, rounds: int) -> list[float]:
    from tmhub.core.actors import SYSTEM
    from tmhub.talent import services as talent

    timings = []
    for index in range(rounds):
        for profile in profiles:
            district = districts[(index + profile.pk) % len(districts)]
            started = time.perf_counter()
            talent.update_profile(profile, actor=SYSTEM, work_district=district)
            timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def _measure_profile_edits(runs: int) -> bool:
    """Profile edits of trained managers without training's subscriber (taken off the bus for
    this baseline only), then the totals recounted from the records, then the same edits with
    the subscriber, and the totals checked against a full recount. Each edit commits on its own
    (autocommit), as a page request does."""
    from tmhub.core import events
    from tmhub.core.models import District
    from tmhub.talent.models import ManagerProfile
    from tmhub.training import subscriptions
    from tmhub.training.dashboard import figures

    profiles = list(ManagerProfile.objects.filter(user__training_summary__isnull=False)
                    .order_by("pk")[:max(runs // 2, 5)])
    districts = list(District.objects.order_by("pk")[:3])
    ours = [s for s in events.subscriptions()
            if s.handler is subscriptions.profile_attribution_changed]
    for subscription in ours:
        events._SUBSCRIPTIONS.remove(subscription)
    try:
        without = _edit_timings(profiles, districts, 2)
    finally:
        events._SUBSCRIPTIONS.extend(ours)
    figures.rebuild()  # the baseline moved managers without their totals
    with_subscriber = _edit_timings(profiles, districts, 2)
    started = time.monotonic()
    expected = {cell: value for cell, value in figures.contributions(None).items() if value}
    agree = figures.stored() == expected
    p50, base = statistics.median(with_subscriber), statistics.median(without)
    p95 = with_subscriber[max(math.ceil(len(with_subscriber) * 0.95) - 1, 0)]
    print(f"profile edit of a trained manager (talent service, {len(with_subscriber)} edits): "
          f"p50 {p50:.1f} ms (p95 {p95:.1f} ms) with the training subscriber, "
          f"{base:.1f} ms without it; the subscriber adds {p50 - base:.1f} ms "
          f"({p50 / base:.2f}x the edit)")
    print(f"totals after the edits {'agree' if agree else 'DIFFER'} with a full recount "
          f"({time.monotonic() - started:.0f}s)")
    return agree


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _print_sizes() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        counts = []
        for table in ("talent_managerprofile", "training_trainedmanager", "training_enrolment",
                      "training_attendance", "training_dashboardfigure"):
            cur.execute(f"SELECT count(*) FROM {table}")
            counts.append(f"{table} {cur.fetchone()[0]:,}")
    print("rows: " + ", ".join(counts))


if __name__ == "__main__":
    sys.exit(main())
