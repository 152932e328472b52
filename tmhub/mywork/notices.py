"""My work's notification kinds (each person may turn their e-mail off on the preferences
page; the reminder settings page turns reminders off per kind of work)."""

from django.utils.translation import gettext_lazy as _

from tmhub.core import notifications

REMINDER = notifications.register_kind("mywork.reminder", _("Reminders of due dates"))
DIGEST = notifications.register_kind("mywork.digest", _("Digest of my work"))
