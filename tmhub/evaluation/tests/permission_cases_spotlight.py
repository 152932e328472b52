"""Permission cases of the spotlight and nomination pages (issue 17 item 6), added to the
evaluation app's cases by permission_cases.py. The 市人才工作局's officer is not a matrix
persona: the bureau's own access is tested in test_nominations.py."""

from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, login_required_page
from tmhub.evaluation.models import Nomination, SpotlightEntry, TalentProgramme
from tmhub.evaluation.services import nominations, spotlight
from tmhub.evaluation.tests.spotlight_helpers import (
    programme,
    published_entry,
    round_with_rating,
)

CITY = {"municipal_admin"}


def cases(personas):
    city = personas.municipal_admin
    round_, rating = round_with_rating(personas, code="matrix-spotlight", name="推介轮次")
    public = published_entry(personas, rating)
    spotlight.step_entry(public, "withdrawn", actor=city, reason="矩阵测试。")
    public = published_entry(personas, rating)
    prog = programme(city)
    nomination = nominations.create_nomination(actor=personas.institution_admin, programme=prog,
                                               manager=personas.manager,
                                               statement="矩阵测试。")
    tto = {"institution_admin"}
    return [
        Case("evaluation:spotlight-list", ok=EVERYONE),
        Case("evaluation:spotlight-list", ok=EVERYONE, query=f"q=王&round={round_.pk}"),
        Case("evaluation:spotlight-detail", (public,), ok=EVERYONE),
        login_required_page("evaluation:spotlight-manage", ok=CITY),
        login_required_page("evaluation:spotlight-manage", ok=CITY, query="status=draft&q=王"),
        login_required_page("evaluation:spotlight-pick", (round_,), ok=CITY),
        # the rating is in the spotlight already: the form answers, the draft is refused
        login_required_page("evaluation:spotlight-create", (rating,), ok=CITY,
                            target=SpotlightEntry),
        login_required_page("evaluation:spotlight-create", (rating,), ok=CITY, method="post",
                            data={"citation_zh": "再次推介。"}, changes=False,
                            target=SpotlightEntry),
        # a published entry is not edited
        login_required_page("evaluation:spotlight-edit", (public,), ok=set()),
        login_required_page("evaluation:spotlight-edit", (public,), ok=set(), method="post"),
        login_required_page("evaluation:spotlight-consent", (public,), ok=CITY | {"manager"},
                            ok_status=302, method="post", data={}, changes=False),
        login_required_page("evaluation:spotlight-step", (public, "pending"), ok=CITY,
                            ok_status=302, method="post", changes=False),
        login_required_page("evaluation:programme-list", ok=SIGNED_IN),
        login_required_page("evaluation:programme-list", ok=SIGNED_IN, query="q=演示&year=2026"),
        login_required_page("evaluation:programme-create", ok=CITY, target=TalentProgramme),
        login_required_page("evaluation:programme-create", ok=CITY, method="post",
                            changes=False, target=TalentProgramme),
        login_required_page("evaluation:programme-detail", (prog,), ok=SIGNED_IN),
        login_required_page("evaluation:programme-edit", (prog,), ok=CITY),
        login_required_page("evaluation:programme-edit", (prog,), ok=CITY, method="post",
                            changes=False),
        login_required_page("evaluation:nomination-list", ok=SIGNED_IN),
        login_required_page("evaluation:nomination-list", ok=SIGNED_IN,
                            query=f"status=draft&programme={prog.pk}&q=王"),
        login_required_page("evaluation:nomination-create", ok=CITY | tto, target=Nomination),
        login_required_page("evaluation:nomination-create", ok=CITY | tto, method="post",
                            changes=False, target=Nomination),
        login_required_page("evaluation:nomination-detail", (nomination,), ok=CITY | tto),
        login_required_page("evaluation:nomination-edit", (nomination,), ok=tto),
        login_required_page("evaluation:nomination-edit", (nomination,), ok=tto, method="post",
                            changes=False),
        login_required_page("evaluation:nomination-step", (nomination, "under_review"),
                            ok=set(), method="post"),
    ]

