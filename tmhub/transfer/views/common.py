"""Small helpers of the transfer views: service steps behind buttons, and the buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tmhub.core.workflow import Button, Workflow


def run_step(request, func, *args, success=None, **kwargs):
    """Call a service for a button: flash its refusal or `success`; return the result or None."""
    try:
        result = func(*args, actor=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success or _("Done."))
    return result


def back(obj):
    return redirect(obj.get_absolute_url())


@dataclass(frozen=True)
class StepButton:
    """A workflow button as a page draws it (`transfer/_steps.html`): the step from the map,
    where its form posts, the hidden fields it sends and whether it asks for a reason."""

    button: Button
    url: str
    hidden: tuple[tuple[str, object], ...] = ()
    prefix: str = ""

    def __getattr__(self, name):  # target, label, style, needs_reason, confirm, blocked…
        return getattr(self.button, name)


def step_buttons(
    workflow: Workflow,
    obj,
    user,
    url: Callable[[str], str],
    *,
    hidden: tuple = (),
    only: Callable[[Button], bool] | None = None,
    prefix: Callable[[Button], str] | None = None,
) -> list[StepButton]:
    """The steps `user` may take on `obj`, ready to draw: `url(target)` is where each posts."""
    return [
        StepButton(
            button=b,
            url=url(b.target),
            hidden=hidden,
            prefix=prefix(b) if prefix else "",
        )
        for b in workflow.buttons(obj, user)
        if only is None or only(b)
    ]
