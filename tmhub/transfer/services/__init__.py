"""Every write of the transfer app (ARCHITECTURE §1), one module per use case."""

from tmhub.transfer.services.achievements import (  # noqa: F401
    add_attachment,
    add_ip_record,
    assign_achievement_manager,
    create_achievement,
    delete_attachment,
    publish_achievement,
    remove_ip_record,
    step_achievement,
    update_achievement,
    withdraw_achievement,
)
from tmhub.transfer.services.contracts import (  # noqa: F401
    add_installment,
    create_contract,
    record_cost,
    record_receipt,
    reverse_cost,
    reverse_receipt,
    update_contract,
)
from tmhub.transfer.services.demands import (  # noqa: F401
    close_demand,
    create_demand,
    publish_demand,
    step_demand,
    update_demand,
)
from tmhub.transfer.services.evidence import record_evidence  # noqa: F401
from tmhub.transfer.services.projects import (  # noqa: F401
    assign_manager,
    create_project,
    move_project,
    record_activity,
    release_manager,
    update_project,
)
from tmhub.transfer.services.rewards import (  # noqa: F401
    approve_split,
    cancel_split,
    create_split,
    select_rule,
    update_split,
)
