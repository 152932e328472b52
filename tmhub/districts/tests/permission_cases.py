"""Permission cases of every districts page and endpoint, every method, every persona.

Steps posted here are refused or change nothing for the haidian records (an empty form, a
post the manager already applied for, an event the enterprise already registered for); the
one step that goes through (the city publishing Chaoyang's draft vacancy) is the city's only.
"""

from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.districts.models import CommissionerPost, Landing, LiaisonAgreement, MatchEvent
from tmhub.districts.tests.world import make_world


def cases(personas):
    w = make_world(personas)
    runners = {"municipal_admin", "district_officer"}
    agreement_readers = runners | {"institution_admin"}
    landing_readers = runners | {"manager"}
    registrants = {"institution_admin", "manager"}  # the enterprise has registered already
    return [
        Case("districts:home", ok=EVERYONE),
        Case("districts:district_detail", ("110108",), ok=EVERYONE),
        Case("districts:district_detail", ("999999",)),  # no such district: 404 for all
        login_required_page("districts:chain", ("110108", "matched"), ok=runners),
        login_required_page("districts:chain", ("110108", "landed"), ok=runners,
                            query="period=plan&export=xlsx"),
        login_required_page("districts:agreement_list"),
        login_required_page("districts:agreement_list", query="export=csv"),
        login_required_page("districts:agreement_create", ok=runners),
        login_required_page("districts:agreement_create", ok=runners, method="post", data={},
                            target=LiaisonAgreement, changes=False),
        login_required_page("districts:agreement_detail", (w.agreement,), ok=agreement_readers),
        login_required_page("districts:agreement_renew", (w.agreement,), ok=runners,
                            ok_status=400, method="post", data={}, changes=False),
        Case("districts:post_list", ok=EVERYONE),
        Case("districts:post_list", ok=EVERYONE, query="export=xlsx"),
        login_required_page("districts:post_create", ok=runners),
        login_required_page("districts:post_create", ok=runners, method="post", data={},
                            target=CommissionerPost, changes=False),
        Case("districts:post_detail", (w.open_post,), ok=EVERYONE),
        Case("districts:post_detail", (w.draft_post,), ok=runners),
        login_required_page("districts:post_publish", (w.other_draft_post,),
                            ok={"municipal_admin"}, ok_status=302, method="post"),
        login_required_page("districts:post_apply", (w.open_post,), ok=set(), method="post",
                            data={"statement": "再次申请"}),
        login_required_page("districts:post_appoint", (w.open_post,), ok=runners,
                            ok_status=400, method="post", data={}, changes=False),
        Case("districts:event_list", ok=EVERYONE),
        Case("districts:event_list", ok=EVERYONE, query="export=csv"),
        login_required_page("districts:event_create", ok=runners),
        login_required_page("districts:event_create", ok=runners, method="post", data={},
                            target=MatchEvent, changes=False),
        Case("districts:event_detail", (w.coming_event,), ok=EVERYONE),
        login_required_page("districts:event_register", (w.coming_event,), ok=registrants,
                            ok_status=400, method="post", data={}, changes=False),
        login_required_page("districts:event_attendance", (w.past_event,), ok=runners,
                            ok_status=302, method="post", data={}, changes=False),
        login_required_page("districts:event_follow_up", (w.past_event,), ok=runners,
                            ok_status=400, method="post", data={}, changes=False),
        login_required_page("districts:landing_list"),
        login_required_page("districts:landing_list", query="export=csv"),
        login_required_page("districts:landing_create", ok=runners),
        login_required_page("districts:landing_create", ok=runners, method="post", data={},
                            target=Landing, changes=False),
        login_required_page("districts:landing_detail", (w.landing,), ok=landing_readers),
        login_required_page("districts:landing_detail", (w.other_landing,),
                            ok={"municipal_admin"}),
        api("districts-agreement-list"),
        api("districts-agreement-detail", (w.agreement,), ok=agreement_readers),
        api("districts-post-list"),
        api("districts-post-detail", (w.open_post,)),
        api("districts-post-detail", (w.draft_post,), ok=runners),
        api("districts-event-list"),
        api("districts-event-detail", (w.coming_event,)),
        api("districts-landing-list"),
        api("districts-landing-detail", (w.landing,), ok=landing_readers),
        # Writes: an empty body is refused field by field (400) for whoever is signed in (the
        # service then checks the district); nothing is saved.
        api("districts-agreement-list", ok=SIGNED_IN, method="post", data={}, ok_status=400,
            target=LiaisonAgreement, changes=False),
        api("districts-post-list", ok=SIGNED_IN, method="post", data={}, ok_status=400,
            target=CommissionerPost, changes=False),
        api("districts-event-list", ok=SIGNED_IN, method="post", data={}, ok_status=400,
            target=MatchEvent, changes=False),
        api("districts-landing-list", ok=SIGNED_IN, method="post", data={}, ok_status=400,
            target=Landing, changes=False),
        # The open post is published already and p_manager has applied: nobody may do either.
        api("districts-post-publish", (w.open_post,), ok=set(), method="post", data={},
            changes=False),
        api("districts-post-apply", (w.open_post,), ok=set(), method="post", data={},
            changes=False),
        api("districts-post-appoint", (w.open_post,), ok=runners, method="post", data={},
            ok_status=400, changes=False),
        api("districts-event-follow-ups", (w.past_event,), ok=runners),
        api("districts-event-follow-ups", (w.past_event,), ok=runners, method="post", data={},
            ok_status=400, changes=False),
    ]


__all__ = ["SIGNED_IN"]
