"""The latest published rating drawn on other apps' pages (issue 17 item 4): the annual
filing and an institution's registry page load this library and name the record; what is
shown, and to whom, is decided here through the policies, so those pages hold no rule."""

from django import template
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.evaluation.policies_rating_use import sees_institution_rating
from tmhub.evaluation.rating_choices import SubjectKind
from tmhub.evaluation.services.rating_use import latest_published

register = template.Library()
TEMPLATE = "evaluation/partials/rating_latest.html"


def _card(user, rating, shown: bool) -> dict:
    if rating is None or not shown:
        return {"rating": None}
    may_read = policies.allows(user, "view", rating)
    return {"rating": rating, "heading": _("Latest published rating"),
            "explanation_url": rating.get_absolute_url() if may_read else ""}


@register.inclusion_tag(TEMPLATE, takes_context=True)
def filing_rating(context, filing):
    """The filer's latest published rating, read-only, for those the rating's policy lets
    read it (the manager, their employer's administrators, the city)."""
    user = context["request"].user
    if filing.registration_id:
        rating = latest_published(SubjectKind.MANAGER, filing.registration.profile.user_id)
    else:
        rating = latest_published(SubjectKind.INSTITUTION,
                                  filing.institution_registration.organization_id)
    return _card(user, rating, rating is not None and policies.allows(user, "view", rating))


@register.inclusion_tag(TEMPLATE, takes_context=True)
def registry_rating(context, registration):
    """The institution's latest published rating on its registry page, for its scoped roles
    only (policies_rating_use.sees_institution_rating)."""
    user = context["request"].user
    organization = registration.organization
    if not sees_institution_rating(get_scope(user), organization):
        return {"rating": None}
    return _card(user, latest_published(SubjectKind.INSTITUTION, organization.pk), True)
