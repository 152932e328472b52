"""Permission cases of every pilots page and endpoint, every method it accepts, every persona.

Steps posted here are refused or empty (an illegal target, an empty form): the matrix checks
who reaches each step, not its effect."""

from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, api, login_required_page
from tmhub.pilots import services
from tmhub.pilots.models import Pilot, Programme
from tmhub.pilots.tests.helpers import add_kpi, assign, make_pilot, science_officer

# The pilot is 测试大学's (海淀), in a science-commission programme (its officer is not a
# persona: the education officer `department_officer` is nobody's programme officer and sees
# nothing; the programme officer's scope is tested in test_views), managed by p_manager.
VIEWERS = {"municipal_admin", "district_officer", "institution_admin", "manager"}
STEERS = {"municipal_admin"}
LINKS = STEERS | {"institution_admin", "manager"}


def cases(personas):
    pilot = make_pilot(personas)
    kpi = add_kpi(personas, pilot, "companies_founded", "1")
    assignment = assign(personas, pilot)
    report = services.create_report(pilot, actor=personas.manager, done="完成调研")
    illegal = {"target": "closed"}
    prog, named = pilot.programme, science_officer()
    candidate = science_officer(username="p_science_next")
    city_only = {"municipal_admin"}

    def page(name, args=(), ok=VIEWERS, **kw):
        return login_required_page(f"pilots:{name}", args, ok=ok, **kw)

    return [
        page("home", ok=SIGNED_IN),
        page("home", ok=SIGNED_IN, query="export=csv"),
        page("create", ok={"municipal_admin"}),
        page("create", ok={"municipal_admin"}, method="post", data={}, target=Pilot,
             changes=False),
        page("detail", (pilot,)),
        page("kpi-add", (pilot,), ok=STEERS, method="post", data={}, ok_status=400,
             changes=False),
        page("contract-link", (pilot,), ok=LINKS, method="post", data={}, ok_status=400,
             changes=False),
        page("assign", (pilot,), ok=STEERS),
        page("assign", (pilot,), ok=STEERS, method="post", data={}, changes=False),
        page("step", (pilot,), method="post", data=illegal, ok_status=302, changes=False),
        page("stage-due", (pilot,), ok=STEERS, method="post", data={}, ok_status=302,
             changes=False),
        page("report-create", (pilot,), ok={"manager"}),
        page("report-create", (pilot,), ok={"manager"}, method="post", data={},
             changes=False),
        page("kpi-report", (kpi,), ok=LINKS, method="post", data={}, ok_status=302,
             changes=False),
        page("assignment-end", (assignment,), ok=STEERS, method="post", data={},
             ok_status=302, changes=False),
        page("report", (report,)),
        page("report", (report,), ok={"manager"}, method="post", data={}, changes=False),
        page("report-step", (report,), method="post", data=illegal, ok_status=302,
             changes=False),
        page("programmes", ok=SIGNED_IN),
        page("programmes", ok=SIGNED_IN, query="export=xlsx"),
        page("programme-create", ok=city_only),
        page("programme-create", ok=city_only, method="post", data={}, target=Programme,
             changes=False),
        page("programme", (prog,), ok=city_only),
        page("officer-add", (prog,), ok=city_only, method="post",
             data={"officer": candidate.pk}, ok_status=302),
        page("officer-remove", (prog,), ok=city_only, method="post",
             data={"officer": named.pk}, ok_status=302),
        api("pilot-list", ok=EVERYONE),
        api("pilot-detail", (pilot,), ok=VIEWERS),
        api("pilot-kpis", (pilot,), ok=VIEWERS),
        api("pilot-assignments", (pilot,), ok=VIEWERS),
        api("pilot-reports", (pilot,), ok=VIEWERS),
        api("pilot-step", (pilot,), ok=VIEWERS, method="post", data=illegal, ok_status=400,
            changes=False),
    ]


__all__ = ["Case", "cases"]
