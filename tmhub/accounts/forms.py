"""Forms for managing people and their roles."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import get_scope
from tmhub.core.choices import Department
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.models import District
from tmhub.core.roles import INSTITUTION_GRANTABLE_ROLES, Role
from tmhub.orgs.models import Organization


class MembershipForm(BootstrapFormMixin, forms.Form):
    """A role with its scope; the choices offered depend on who is granting it."""

    # No role is preselected: a stray click must not grant the first one (municipal admin).
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------")] + Role.choices)
    organization = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organization.objects.none())
    district = forms.ModelChoiceField(label=_("District"), required=False,
                                      queryset=District.objects.all())
    department = forms.ChoiceField(label=_("Department"), required=False,
                                   choices=[("", "---------")] + Department.choices)

    def __init__(self, *args, granter, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(granter)
        if scope.is_municipal:
            self.fields["organization"].queryset = Organization.objects.filter(is_active=True)
        else:
            self.fields["role"].choices = [("", "---------")] + [
                (value, label) for value, label in Role.choices
                if value in INSTITUTION_GRANTABLE_ROLES
            ]
            self.fields["organization"].queryset = Organization.objects.filter(
                pk__in=scope.orgs(Role.INSTITUTION_ADMIN))
            self.fields["organization"].required = True
            del self.fields["district"], self.fields["department"]


class UserCreateForm(MembershipForm):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
                                help_text=_("Letters, digits and @/./+/-/_ only."))
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"),
                             help_text=_("A link to set the password is sent here."))
    field_order = ["username", "display_name", "email", "role", "organization", "district",
                   "department"]


class TokenCreateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What the token is for, e.g. the script that uses it."))
