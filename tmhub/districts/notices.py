"""The districts' notification kinds (tmhub.core.notifications)."""

from django.utils.translation import gettext_lazy as _

from tmhub.core import notifications

APPLICATION = notifications.register_kind(
    "districts.commissioner_application", _("Applications for commissioner posts"))
DECISION = notifications.register_kind(
    "districts.commissioner_decision", _("Decisions on your commissioner applications"))
