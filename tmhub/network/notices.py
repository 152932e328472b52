"""The network's notification kinds (tmhub.core.notifications)."""

from django.utils.translation import gettext_lazy as _

from tmhub.core import notifications

INTRODUCED = notifications.register_kind("network.introduction",
                                         _("Introductions to service needs"))
ANSWERED = notifications.register_kind("network.answer",
                                       _("Providers' answers to your introductions"))
RATING_DUE = notifications.register_kind("network.rating_due",
                                         _("Collaboration ratings due"))
FINANCING_APPROVAL = notifications.register_kind("network.financing_approval",
                                                 _("Financing rounds awaiting your approval"))
