"""The joint conference (市科技成果转化工作联席会): its view of a plan — every key task's status by
the plan's rule, latest report and open actions — and its meetings with their agenda, decisions
and follow-up actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import page_or_404
from tmhub.insights import selectors, services
from tmhub.insights.forms import ActionForm, AgendaItemForm, CompleteActionForm, MeetingForm
from tmhub.insights.models import FollowUpAction, Meeting, Plan


@login_required
@require_GET
def conference(request, pk):
    plan = get_restricted_or_404(Plan, request.user, pk=pk)
    today = timezone.localdate()
    key_tasks, _measures = selectors.overview(plan, request.user, today)
    meetings = page_or_404(Meeting.objects.restrict(request.user).filter(plan=plan), request,
                           per_page=10)
    return render(request, "insights/conference.html", {
        "plan": plan, "key_tasks": key_tasks, "meetings": meetings, "today": today,
        "rule": selectors.status_rule(plan), "due_days": selectors.REPORT_DUE_DAYS,
        "may_create": policies.allows(request.user, "create", Meeting),
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    plan = get_restricted_or_404(Plan, request.user, pk=pk)
    if not policies.allows(request.user, "create", Meeting):
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting entered; add its agenda and actions."))
            return redirect(meeting)
    return render(request, "insights/form.html", {"form": form, "title": _("New meeting"),
                                                  "subtitle": plan.number, "back": plan})


def _meeting_page(request, meeting, agenda_form=None, action_form=None, status=200):
    manage = policies.allows(request.user, "manage", meeting)
    actions = list(meeting.actions.select_related("task", "agenda_item"))
    for action in actions:
        action.may_complete = policies.allows(request.user, "complete", action)
    return render(request, "insights/meeting_detail.html", {
        "meeting": meeting, "object": meeting, "plan": meeting.plan,
        "agenda": meeting.agenda.select_related("task"), "actions": actions,
        "today": timezone.localdate(), "may_manage": manage,
        "agenda_form": agenda_form or (AgendaItemForm(meeting=meeting) if manage else None),
        "action_form": action_form or (ActionForm(meeting=meeting) if manage else None),
        "complete_form": CompleteActionForm(),
    }, status=status)


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = get_restricted_or_404(Meeting.objects.select_related("plan", "entered_by"),
                                    request.user, pk=pk)
    return _meeting_page(request, meeting)


def _add_to_meeting(request, pk, form_class, add, done_message, slot):
    """The one way a meeting's agenda item or follow-up action is added: the meeting in the
    reader's scope, the manage permission, the form, the service, its errors on the form."""
    meeting = get_restricted_or_404(Meeting.objects.select_related("plan"), request.user, pk=pk)
    if not policies.allows(request.user, "manage", meeting):
        raise Http404
    form = form_class(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done_message)
            return redirect(meeting)
    return _meeting_page(request, meeting, status=400, **{slot: form})


@login_required
@require_POST
def agenda_add(request, pk):
    return _add_to_meeting(request, pk, AgendaItemForm, services.add_agenda_item,
                           _("Agenda item added."), "agenda_form")


@login_required
@require_POST
def action_add(request, pk):
    return _add_to_meeting(request, pk, ActionForm, services.add_action,
                           _("Follow-up action added."), "action_form")


@login_required
@require_POST
def action_complete(request, pk):
    action = get_restricted_or_404(FollowUpAction.objects.select_related("meeting__plan"),
                                   request.user, pk=pk)
    if not policies.allows(request.user, "complete", action):
        raise Http404
    form = CompleteActionForm(request.POST)
    if form.is_valid():
        services.complete_action(actor=request.user, action=action,
                                 note=form.cleaned_data["note"])
        messages.success(request, _("Action recorded as done."))
        return redirect(action.meeting)
    messages.error(request, _("Say how the action was done."))
    return _meeting_page(request, action.meeting, status=400)
