"""Permission cases of the use of rating results (issue 17 item 4), added to the evaluation
app's cases by permission_cases.py.

Records: the manager persona's draft application (`mine`) and the round the rating cases
publish (the manager rated in it, with an objection still open: citing it is refused, so the
matrix's requests change nothing even for the applicant)."""

from tmhub.core.tests.permission_matrix import api, login_required_page
from tmhub.evaluation.models import RatingEvidence, RatingRound

EXPORTERS = {"municipal_admin", "institution_admin"}  # the export page


def cases(personas, mine):
    done = RatingRound.objects.get(name="已发布轮次")
    rating = done.ratings.get(manager=personas.manager)
    return [
        # Citing one's rating: the applicant of an editable application (refused here: an
        # objection to the rating is open; nothing to remove), anyone else 404.
        login_required_page("evaluation:application-rating-attach", (mine,), ok={"manager"},
                            ok_status=302, method="post", data={"rating": rating.pk},
                            changes=False, target=RatingEvidence),
        login_required_page("evaluation:application-rating-detach", (mine,), ok={"manager"},
                            ok_status=302, method="post", changes=False,
                            target=RatingEvidence),
        api("title-application-rating-evidence", (mine,), method="post",
            data={"rating": rating.pk}, ok={"manager"}, ok_status=400,
            target=RatingEvidence),
        api("title-application-rating-evidence", (mine,), method="delete", ok={"manager"},
            ok_status=400, target=RatingEvidence),
        # Exports of a published round: the city (every rating) and institutions'
        # administrators (their own staff's).
        login_required_page("evaluation:rating-export-list", ok=EXPORTERS),
        login_required_page("evaluation:rating-export-list", ok=EXPORTERS,
                            query="q=轮次&year=2026"),
        # (The institutions' sheet, the city's only; this round rates none, so the matrix
        # writes no personal-data log rows, which the crawl of the log page in the other
        # language would read. Managers' sheets per persona: test_rating_use_pages.py.)
        login_required_page("evaluation:rating-round-export", (done,), ok={"municipal_admin"},
                            query="kind=institution", changes=False),
        login_required_page("evaluation:rating-round-export", (done,), ok={"municipal_admin"},
                            query="kind=institution&format=csv", changes=False),
    ]
