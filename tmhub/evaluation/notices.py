"""The title rounds' notification kinds (tmhub.core.notifications), registered at start-up
(tmhub/evaluation/policies.py imports this module) so the notification list and the e-mail
preferences offer them before the first one is sent."""

from django.utils.translation import gettext_lazy as _

from tmhub.core import notifications

REVIEW_ASSIGNED = notifications.register_kind(
    "evaluation.review_assigned", _("Title applications assigned to you for review"))
RETURNED = notifications.register_kind(
    "evaluation.application_returned", _("Your title applications returned for changes"))
RESULT = notifications.register_kind(
    "evaluation.result", _("Results of your title applications"))
REVOKED = notifications.register_kind(
    "evaluation.title_revoked", _("Revocations of your titles"))
