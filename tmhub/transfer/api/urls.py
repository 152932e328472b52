from rest_framework.routers import SimpleRouter

from tmhub.transfer.api.views import (
    AchievementViewSet,
    ContractViewSet,
    DemandViewSet,
    ProjectViewSet,
    RewardSplitViewSet,
)

router = SimpleRouter()
router.register("achievements", AchievementViewSet, basename="achievement")
router.register("demands", DemandViewSet, basename="demand")
router.register("projects", ProjectViewSet, basename="project")
router.register("contracts", ContractViewSet, basename="contract")
router.register("reward-splits", RewardSplitViewSet, basename="reward-split")
urlpatterns = router.urls
