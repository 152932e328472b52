from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MyworkConfig(AppConfig):
    """Each person's one list of what they must do (tmhub.core.work_items): the page, the
    deadlines of patents and contracts, reminders and the calendar feed."""

    name = "tmhub.mywork"
    label = "mywork"
    verbose_name = _("My work")
