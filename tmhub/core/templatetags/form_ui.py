"""Template helpers for forms and page frames: `{% styled_form form %}` and `|page_title`."""

from django import template
from django.utils.translation import gettext

from tmhub.core.forms import BootstrapFormMixin, mark_invalid

register = template.Library()


@register.simple_tag
def styled_form(form) -> str:
    """Give every input of `form` its Bootstrap look before it is drawn (forms of Django's own,
    sign-in and passwords, carry none), fields with errors outlined. Draws nothing."""
    if form is not None and hasattr(form, "fields"):
        BootstrapFormMixin.style_fields(form)
        mark_invalid(form)
    return ""


@register.filter
def page_title(title) -> str:
    """The page's title, then the platform's: "<page> · <platform>"; the platform's name alone
    when the page has none of its own or its title is that name (never "技术经理人服务平台 ·
    技术经理人服务平台")."""
    site = gettext("Technology Manager Service Platform")
    title = " ".join(str(title).split())
    if not title or title in (site, gettext("TM Hub")):
        return site
    return f"{title} · {site}"
