"""Whether an applicant may apply for a title level: a pure function of the rules in force and
the applicant's education, years and current title (SPEC §6, issue 16).

`evaluate` reads nothing from the database: the service (services/titles.py) loads the rows in
force and passes them as `Route` and `Performance` values, so the verdict can be tested as a
property over any rules and any applicant. The verdict is on education and years alone: one
route met is enough. Performance conditions are listed with `met=None`, for reviewers to
confirm on the application.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tmhub.evaluation.choices import EDUCATION_RANK, Education


@dataclass(frozen=True)
class Route:
    """One eligibility rule: at least `min_education`, and full years since graduation or a
    title of at least `required_title_rank` held for full years."""

    code: str
    min_education: str
    min_years_since_education: int = 0
    required_title_rank: int | None = None
    required_title_name: str = ""
    min_years_in_title: int = 0
    confirmed: bool = True


@dataclass(frozen=True)
class Performance:
    code: str
    text: str
    confirmed: bool = True


@dataclass(frozen=True)
class Applicant:
    education: str
    years_since_education: int
    current_title_rank: int | None = None  # None: no title
    current_title_name: str = ""
    years_in_current_title: int = 0


@dataclass(frozen=True)
class Condition:
    code: str
    met: bool | None
    explanation: str
    confirmed: bool = True  # its figures are confirmed (SPEC §6); not part of the API's answer


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    conditions: tuple[Condition, ...]

    @property
    def provisional(self) -> bool:
        """Eligible only by routes whose figures are still to be confirmed."""
        met = [c for c in self.conditions if c.met]
        return self.eligible and bool(met) and not any(c.confirmed for c in met)

    def as_dict(self) -> dict:
        return {"eligible": self.eligible, "conditions": [
            {"code": c.code, "met": c.met, "explanation": c.explanation}
            for c in self.conditions]}


def route_met(route: Route, applicant: Applicant) -> bool:
    if EDUCATION_RANK[applicant.education] < EDUCATION_RANK[route.min_education]:
        return False
    if route.required_title_rank is None:
        return applicant.years_since_education >= route.min_years_since_education
    return (applicant.current_title_rank is not None
            and applicant.current_title_rank >= route.required_title_rank
            and applicant.years_in_current_title >= route.min_years_in_title)


def _unconfirmed(text: str, confirmed: bool) -> str:
    if confirmed:
        return text
    # one sentence after the other: a space between them in English, none in Chinese
    return _("%(condition)s This figure is to be confirmed by 市人社局.") % {"condition": text}


def _explain(route: Route, applicant: Applicant, met: bool, second_person: bool) -> str:
    """One route explained, with the applicant's own figures in brackets: "you" when the
    applicant asks for themself (the eligibility check), "applicant" on the application, which
    the employer, the bureau and the reviewers read too."""
    values = {
        "education": Education(route.min_education).label,
        "your_education": Education(applicant.education).label,
        "years": route.min_years_since_education,
        "your_years": applicant.years_since_education,
        "title": route.required_title_name,
        "title_years": route.min_years_in_title,
        "your_title": applicant.current_title_name or _("no title"),
        "your_title_years": applicant.years_in_current_title,
    }
    if route.required_title_rank is not None and applicant.current_title_rank is None:
        # a route through a title, for someone without one: never met, and no "0 years"
        text = (_("Not met: requires %(education)s or higher and %(title_years)d full years as "
                  "%(title)s or higher (you: %(your_education)s; no title).") if second_person
                else _("Not met: requires %(education)s or higher and %(title_years)d full "
                       "years as %(title)s or higher (applicant: %(your_education)s; no "
                       "title)."))
    elif route.required_title_rank is not None:
        if second_person:
            text = (_("Met: %(education)s or higher and %(title_years)d full years as %(title)s "
                      "or higher (you: %(your_education)s; %(your_title)s for "
                      "%(your_title_years)d years).") if met else
                    _("Not met: requires %(education)s or higher and %(title_years)d full years "
                      "as %(title)s or higher (you: %(your_education)s; %(your_title)s for "
                      "%(your_title_years)d years)."))
        else:
            text = (_("Met: %(education)s or higher and %(title_years)d full years as %(title)s "
                      "or higher (applicant: %(your_education)s; %(your_title)s for "
                      "%(your_title_years)d years).") if met else
                    _("Not met: requires %(education)s or higher and %(title_years)d full years "
                      "as %(title)s or higher (applicant: %(your_education)s; %(your_title)s "
                      "for %(your_title_years)d years)."))
    elif route.min_years_since_education:
        if second_person:
            text = (_("Met: %(education)s or higher and %(years)d full years of work since "
                      "graduation (you: %(your_education)s, %(your_years)d years).") if met else
                    _("Not met: requires %(education)s or higher and %(years)d full years of "
                      "work since graduation (you: %(your_education)s, %(your_years)d years)."))
        else:
            text = (_("Met: %(education)s or higher and %(years)d full years of work since "
                      "graduation (applicant: %(your_education)s, %(your_years)d years).")
                    if met else
                    _("Not met: requires %(education)s or higher and %(years)d full years of "
                      "work since graduation (applicant: %(your_education)s, %(your_years)d "
                      "years)."))
    elif second_person:
        text = (_("Met: %(education)s or higher (you: %(your_education)s).") if met else
                _("Not met: requires %(education)s or higher (you: %(your_education)s)."))
    else:
        text = (_("Met: %(education)s or higher (applicant: %(your_education)s).") if met else
                _("Not met: requires %(education)s or higher (applicant: %(your_education)s)."))
    return _unconfirmed(text % values, route.confirmed)


def evaluate(routes: list[Route], performance: list[Performance],
             applicant: Applicant, *, second_person: bool = True) -> Verdict:
    """The verdict and one explained condition per route and per performance condition;
    `second_person` False words the applicant's figures for third parties ("applicant:")."""
    conditions = []
    eligible = False
    for route in routes:
        met = route_met(route, applicant)
        eligible = eligible or met
        conditions.append(Condition(route.code, met,
                                    _explain(route, applicant, met, second_person),
                                    route.confirmed))
    if not routes:
        conditions.append(Condition("no_rule_in_force", False, _(
            "No eligibility rule for this level is in force: the level cannot be applied for "
            "yet.")))
    for item in performance:
        conditions.append(Condition(item.code, None, _unconfirmed(
            _("Confirmed by the reviewers on the application: %(condition)s")
            % {"condition": item.text}, item.confirmed), item.confirmed))
    return Verdict(eligible, tuple(conditions))
