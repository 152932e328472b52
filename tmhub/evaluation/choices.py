"""Choices of the evaluation app (titles now, social evaluation beside them later)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Education(models.TextChoices):
    """Education levels of the eligibility rules, lowest first (their order is their rank)."""

    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational school")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")


EDUCATION_RANK = {value: rank for rank, value in enumerate(Education.values, start=1)}

# The code an applicant gives when they hold no title yet.
NO_TITLE = "none"

# The talent profile's recorded degree, read as an education of the eligibility rules.
DEGREE_TO_EDUCATION = {
    "college": Education.JUNIOR_COLLEGE,
    "bachelor": Education.BACHELOR,
    "master": Education.MASTER,
    "doctor": Education.DOCTORATE,
}
