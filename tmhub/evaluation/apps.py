from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Policies, metrics and subscriptions are discovered by core when Django starts
    (tmhub.core.apps.DISCOVERED_MODULES): nothing to wire here."""

    name = "tmhub.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")
