"""The pilots' notification kinds (tmhub.core.notifications)."""

from django.utils.translation import gettext_lazy as _

from tmhub.core import notifications

ASSIGNED = notifications.register_kind("pilots.assigned", _("Pilots assigned to you"))
REPORT = notifications.register_kind("pilots.report", _("Pilot stage reports to review"))
REMINDER = notifications.register_kind("pilots.reminder", _("Pilot due dates coming up"))
PROGRAMME = notifications.register_kind("pilots.programme",
                                       _("Funding programmes you are named on"))
