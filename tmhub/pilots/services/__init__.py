"""Every write of the pilots app: keyword-only actor, one transaction, audit inside it."""

from tmhub.pilots.services.pilots import (
    add_kpi,
    assign_manager,
    create_report,
    edit_report,
    end_assignment,
    link_contract,
    link_project,
    report_kpi,
    select_pilot,
    send_due_reminders,
    set_stage_due,
    step_pilot,
    step_report,
    unlink_contract,
)
from tmhub.pilots.services.programmes import (
    add_programme_officer,
    create_programme,
    eligible_officers,
    remove_programme_officer,
)

__all__ = [
    "add_programme_officer", "eligible_officers", "remove_programme_officer",
    "add_kpi", "assign_manager", "create_programme", "create_report", "edit_report",
    "end_assignment",
    "link_contract", "link_project", "report_kpi", "select_pilot", "send_due_reminders",
    "set_stage_due",
    "step_pilot",
    "step_report", "unlink_contract",
]
