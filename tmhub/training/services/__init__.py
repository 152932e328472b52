"""Every write of the training system (ARCHITECTURE §1), split by use case."""

from tmhub.training.services.attendance import (  # noqa: F401
    close_enrolments,
    record_attendance,
    record_scores,
    refresh_completion,
)
from tmhub.training.services.catalogue import (  # noqa: F401
    add_assessment,
    add_session,
    assign_mentor,
    create_cohort,
    create_course,
    create_instructor,
    create_programme,
    create_provider,
    transition_cohort,
    update_cohort,
    update_course,
    update_programme,
)
from tmhub.training.services.certificates import (  # noqa: F401
    decide_revocation,
    issue_certificate,
    open_revocation,
    request_revocation,
)
from tmhub.training.services.enrolment import (  # noqa: F401
    approve_enrolment,
    bulk_enrol,
    reject_enrolment,
    request_enrolment,
    take_step,
    withdraw_enrolment,
)
from tmhub.training.services.hours import record_external_hours  # noqa: F401
