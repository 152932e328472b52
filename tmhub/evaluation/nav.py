"""Whether the main navigation lists this module for a scope (tmhub.core.context_processors):
ask the module's policies, so no persona is led to a page it may not use.

The titles page (the eligibility check and the rules in force) is public; the bar lists it for
those who apply, endorse, review or run the round: technology managers, institution
administrators, reviewers, the 市人社局's officers (who run the round) and municipal
administrators — and the staff of an accredited evaluation organisation, who run rating
rounds. `rating_links` lists the social-evaluation pages each role uses (the evaluation home
page shows them)."""

from tmhub.core.roles import Role

USERS = (Role.MANAGER, Role.INSTITUTION_ADMIN, Role.REVIEWER)


def visible(scope) -> bool:
    from tmhub.evaluation.policies import is_bureau
    from tmhub.evaluation.policies_ratings import accredited_orgs

    return (scope.is_municipal or is_bureau(scope) or any(scope.has_role(role) for role in USERS)
            or (scope.is_authenticated and bool(accredited_orgs(scope))))


def rating_links(scope) -> list[tuple[str, object, str]]:
    """[(url name, label, element id)] of the social-evaluation pages `scope` uses."""
    from django.utils.translation import gettext_lazy as _

    from tmhub.evaluation.policies_ratings import _staff_orgs, is_city

    links = [("evaluation:indicator-system-list", _("Indicator systems"), "systems-link")]
    if not scope.is_authenticated:
        return links
    links.insert(0, ("evaluation:rating-round-list", _("Rating rounds"), "rounds-link"))
    if scope.has_role(Role.MANAGER) or scope.has_role(Role.INSTITUTION_ADMIN) or \
            is_city(scope) or _staff_orgs(scope):
        links.insert(1, ("evaluation:rating-list", _("Ratings"), "ratings-link"))
    if scope.has_role(Role.REVIEWER):
        links.append(("evaluation:rating-review-list", _("My rating reviews"),
                      "rating-reviews-link"))
    if is_city(scope) or _staff_orgs(scope):
        links.append(("evaluation:rating-accreditation-list",
                      _("Accredited evaluation organisations"), "accreditations-link"))
    return links
