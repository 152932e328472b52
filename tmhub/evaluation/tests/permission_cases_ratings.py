"""Permission cases of the social-evaluation pages and endpoints (issue 17), added to the
evaluation app's cases by permission_cases.py.

Records: the seeded manager template (published, public), a draft system of the city that
cannot be published yet (no indicators under its dimension), a draft round, a round computed
and published with the manager persona rated (employed by the university, so its
administrator reads the rating), the reviewer persona's review in it, and an objection."""

from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, api, login_required_page
from tmhub.evaluation.models import Indicator, IndicatorSystem, Rating, RatingRound
from tmhub.evaluation.rating_choices import IndicatorKind
from tmhub.evaluation.services import indicators as systems
from tmhub.evaluation.services import ratings as services
from tmhub.evaluation.tests.rating_helpers import (
    CUTOFF,
    START,
    registered_manager,
    small_system,
    template,
)

CITY = {"municipal_admin"}


def _records(personas):
    city = personas.municipal_admin
    published = template("manager")
    draft = systems.create_system(actor=city, code="matrix-draft", name_zh="草稿体系",
                                  subject_kind="manager")
    dimension = systems.add_indicator(draft, actor=city, code="d", name_zh="维度",
                                      kind=IndicatorKind.DIMENSION, weight=100)
    removable = systems.add_indicator(draft, actor=city, parent=dimension, code="leaf",
                                      name_zh="评分", kind=IndicatorKind.SCORED, weight=50)
    system = small_system(city, code="matrix-system")
    registered_manager(personas)
    draft_round = services.create_round(actor=city, name="草稿轮次", period_start=START,
                                        period_end=CUTOFF, manager_system=system)
    done = services.create_round(actor=city, name="已发布轮次", period_start=START,
                                 period_end=CUTOFF, manager_system=system)
    services.assign_reviewer(done, actor=city, indicator=system.indicators.get(code="expert"),
                             reviewer=personas.reviewer)
    services.step_round(done, "open", actor=city)
    services.step_round(done, "computing", actor=city)
    services.run_computation(done.pk)
    done = services.step_round(RatingRound.objects.get(pk=done.pk), "published", actor=city)
    rating = Rating.objects.get(round=done, manager=personas.manager)
    objection = services.file_objection(rating, actor=personas.manager, text="合同漏计。")
    review = done.reviews.get()
    return published, draft, removable, draft_round, done, rating, objection, review


def _accreditation(personas):
    from tmhub.core.actors import SYSTEM
    from tmhub.core.choices import OrgKind
    from tmhub.orgs.services import create_organization

    org = create_organization(actor=SYSTEM, name="矩阵测试评价中心", kind=OrgKind.EVALUATION_ORG,
                              district=personas.haidian, credit_code=None,
                              contact_phone="010-62780002", contact_email="m@example.cn")
    return services.accredit(actor=personas.municipal_admin, organization=org,
                             reference="京科〔2026〕2号", valid_from=START)


def cases(personas):
    published, draft, removable, draft_round, done, rating, objection, review = \
        _records(personas)
    accreditation = _accreditation(personas)
    readers = {"manager", "institution_admin", "municipal_admin"}
    # the university's administrator may set up an internal round of its own staff
    round_makers = CITY | {"institution_admin"}
    dimension = draft.indicators.get(code="d")  # stays (the leaf is removed by a case)
    return [
        # Indicator systems: published versions are public; drafts and changes the city's.
        Case("evaluation:indicator-system-list", ok=EVERYONE),
        Case("evaluation:indicator-system-list", ok=EVERYONE, query="subject_kind=manager&q=模板"),
        Case("evaluation:indicator-system-detail", (published,), ok=EVERYONE),
        Case("evaluation:indicator-system-detail", (draft,), ok=CITY),
        # publishing a system whose weights do not sum to 100 is refused (told why)
        login_required_page("evaluation:indicator-system-publish", (draft,), ok=CITY,
                            ok_status=302, method="post", changes=False),
        login_required_page("evaluation:indicator-system-new-version", (published,), ok=CITY,
                            ok_status=302, method="post", target=IndicatorSystem),
        login_required_page("evaluation:indicator-add", (draft,), ok=CITY),
        login_required_page("evaluation:indicator-add", (draft,), ok=CITY, method="post",
                            changes=False, target=Indicator),
        login_required_page("evaluation:indicator-remove", (removable,), ok=CITY,
                            ok_status=302, method="post", target=Indicator),
        # Rounds: the city's; a published round is read by everyone signed in, a reviewer
        # reads the rounds they review in.
        login_required_page("evaluation:rating-round-list", ok=SIGNED_IN),
        login_required_page("evaluation:rating-round-list", ok=SIGNED_IN,
                            query="status=published&q=轮次&year=2026"),
        login_required_page("evaluation:rating-round-create", ok=round_makers,
                            target=RatingRound),
        login_required_page("evaluation:rating-round-create", ok=round_makers, method="post",
                            changes=False, target=RatingRound),
        login_required_page("evaluation:rating-round-list", ok=SIGNED_IN,
                            query="runner=internal"),
        # a step that needs a reason (suspend) is refused without one
        login_required_page("evaluation:rating-round-step", (draft_round, "suspended"),
                            ok=CITY, ok_status=302, method="post", changes=False),
        # Editing a draft's nodes and weights: the city's (an empty form changes nothing).
        login_required_page("evaluation:indicator-edit", (dimension,), ok=CITY),
        login_required_page("evaluation:indicator-edit", (dimension,), ok=CITY,
                            method="post", changes=False),
        login_required_page("evaluation:indicator-system-weights", (draft,), ok=CITY),
        login_required_page("evaluation:indicator-system-weights", (draft,), ok=CITY,
                            method="post", changes=False),
        # Accreditation of evaluation organisations: read by everyone signed in, kept by
        # the city (revoking needs a reason).
        login_required_page("evaluation:rating-accreditation-list", ok=SIGNED_IN),
        login_required_page("evaluation:rating-accreditation-list", ok=SIGNED_IN,
                            query="q=评价&in_force=true"),
        login_required_page("evaluation:rating-accreditation-create", ok=CITY),
        login_required_page("evaluation:rating-accreditation-create", ok=CITY, method="post",
                            changes=False),
        login_required_page("evaluation:rating-accreditation-revoke", (accreditation,),
                            ok=CITY, ok_status=302, method="post", changes=False),
        login_required_page("evaluation:rating-round-detail", (draft_round,), ok=CITY),
        login_required_page("evaluation:rating-round-detail", (done,), ok=SIGNED_IN),
        login_required_page("evaluation:rating-round-progress", (done,), ok=CITY),
        # an illegal step (a draft cannot be published) is refused on the page
        login_required_page("evaluation:rating-round-step", (draft_round, "published"),
                            ok=CITY, ok_status=302, method="post", changes=False),
        login_required_page("evaluation:rating-round-assign", (draft_round,), ok=CITY,
                            ok_status=302, method="post", changes=False),
        # Reviews: a reviewer's own (the city reads them); only the reviewer scores, and only
        # while the round takes scores (published: read-only).
        login_required_page("evaluation:rating-review-list", ok=SIGNED_IN),
        login_required_page("evaluation:rating-review-detail", (review,),
                            ok={"reviewer", "municipal_admin"}),
        login_required_page("evaluation:rating-review-detail", (review,), ok=set(),
                            method="post", changes=False),
        # Ratings: the manager's own, their employer's administrators', the city's.
        login_required_page("evaluation:rating-list", ok=SIGNED_IN),
        login_required_page("evaluation:rating-list", ok=SIGNED_IN,
                            query=f"round={done.pk}&q=王"),
        login_required_page("evaluation:rating-detail", (rating,), ok=readers),
        login_required_page("evaluation:rating-object", (rating,), ok={"manager"},
                            ok_status=302, method="post", changes=False),
        login_required_page("evaluation:rating-objection-resolve", (objection,), ok=CITY),
        login_required_page("evaluation:rating-objection-resolve", (objection,), ok=CITY,
                            method="post", changes=False),
        # The API: the same policies.
        api("indicator-system-list", ok=EVERYONE),
        api("indicator-system-detail", (published,), ok=EVERYONE),
        api("indicator-system-detail", (draft,), ok=CITY),
        api("indicator-system-list", method="post", data={}, ok=SIGNED_IN, ok_status=400,
            target=IndicatorSystem),
        api("indicator-system-publish", (draft,), method="post", ok=CITY, ok_status=400),
        api("indicator-system-new-version", (published,), method="post", ok=CITY,
            ok_status=201, target=IndicatorSystem),
        api("indicator-system-indicators", (draft,), method="post", data={}, ok=CITY,
            ok_status=400, target=Indicator),
        api("rating-round-list", ok=SIGNED_IN, anon_status=401),
        api("rating-round-detail", (draft_round,), ok=CITY, anon_status=401),
        api("rating-round-detail", (done,), ok=SIGNED_IN, anon_status=401),
        api("rating-round-list", method="post", data={}, ok=SIGNED_IN, ok_status=400,
            target=RatingRound),
        api("rating-round-open", (done,), method="post", ok=CITY, ok_status=400),
        api("rating-round-compute", (draft_round,), method="post", ok=CITY, ok_status=400),
        api("rating-round-publish", (draft_round,), method="post", ok=CITY, ok_status=400),
        api("rating-list", ok=SIGNED_IN, anon_status=401),
        api("rating-detail", (rating,), ok=readers, anon_status=401),
        api("rating-objections", (rating,), method="post", data={}, ok={"manager"},
            ok_status=400),
        api("rating-resolve", (rating,), method="post", data={}, ok=CITY, ok_status=400),
        api("rating-round-reviews", (done,), ok=SIGNED_IN, anon_status=401),
        api("rating-round-assign", (draft_round,), method="post", data={}, ok=CITY,
            ok_status=400),
        # the published round takes no scores: nobody has anything to score in it
        api("rating-round-score", (done,), method="post", data={}, ok=set()),
        api("rating-round-suspend", (draft_round,), method="post", data={}, ok=CITY,
            ok_status=400),
        api("rating-round-resume", (draft_round,), method="post", data={}, ok=set()),
        api("rating-round-approve", (draft_round,), method="post", data={}, ok=set()),
        # a draft is neither computed (to submit for approval) nor awaiting approval (to
        # return): the city, who sees it, is told the step does not apply
        api("rating-round-submit", (draft_round,), method="post", data={}, ok=CITY,
            ok_status=400),
        api("rating-round-return", (draft_round,), method="post", data={}, ok=CITY,
            ok_status=400),
    ]
