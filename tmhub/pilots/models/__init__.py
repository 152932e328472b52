from tmhub.pilots.models.pilots import (
    Assignment,
    KpiType,
    Pilot,
    PilotKpi,
    Programme,
    StageReport,
)

__all__ = ["Assignment", "KpiType", "Pilot", "PilotKpi", "Programme", "StageReport"]
