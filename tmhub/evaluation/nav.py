"""Whether the main navigation lists this module for a scope (tmhub.core.context_processors):
ask the module's policies, so no persona is led to a page it may not use.

The titles page (the eligibility check and the rules in force) is public; the bar lists it for
those who apply, endorse, review or run the round: technology managers, institution
administrators, reviewers, the 市人社局's officers (who run the round) and municipal
administrators."""

from tmhub.core.roles import Role

USERS = (Role.MANAGER, Role.INSTITUTION_ADMIN, Role.REVIEWER)


def visible(scope) -> bool:
    from tmhub.evaluation.policies import is_bureau

    return scope.is_municipal or is_bureau(scope) or any(scope.has_role(role) for role in USERS)
