"""Forms for managing people and their roles."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.accounts.policies import grantable_organizations, grantable_roles
from tmhub.core.access import get_scope
from tmhub.core.choices import Department
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.models import District
from tmhub.core.roles import ORG_ROLES, Role
from tmhub.core.widgets import SearchableSelect
from tmhub.orgs.models import Organization


class MembershipForm(BootstrapFormMixin, forms.Form):
    """A role with its scope; it offers what the Membership policy lets the granter give (the
    service asks the policy again, so a crafted POST gains nothing)."""

    # No role is preselected: a stray click must not grant the first one (municipal admin).
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------")] + Role.choices)
    organization = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organization.objects.none(),
                                          widget=SearchableSelect)
    district = forms.ModelChoiceField(label=_("District"), required=False,
                                      queryset=District.objects.all())
    department = forms.ChoiceField(label=_("Department"), required=False,
                                   choices=[("", "---------")] + Department.choices)

    def __init__(self, *args, granter, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(granter)
        offered = set(grantable_roles(scope))
        self.fields["role"].choices = [("", "---------")] + [
            (value, label) for value, label in Role.choices if value in offered]
        self.fields["organization"].queryset = grantable_organizations(scope)
        # Only the scope fields some offered role needs are shown.
        self.fields["organization"].required = offered <= ORG_ROLES
        if Role.DISTRICT_OFFICER not in offered:
            del self.fields["district"]
        if Role.DEPARTMENT_OFFICER not in offered:
            del self.fields["department"]


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
