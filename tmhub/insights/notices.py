"""The oversight module's notification kinds (tmhub.core.notifications)."""

from django.utils.translation import gettext_lazy as _

from tmhub.core import notifications

OVERDUE = notifications.register_kind("insights.overdue", _("Overdue progress reports"))
REVIEW = notifications.register_kind("insights.review", _("Progress reports to review"))
