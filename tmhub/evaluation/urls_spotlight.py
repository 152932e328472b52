"""The spotlight and nomination pages (issue 17 item 6), in the evaluation namespace
(tmhub.evaluation.urls adds them)."""

from django.urls import path

from tmhub.evaluation.views import nominations as n
from tmhub.evaluation.views import spotlight as s

urlpatterns: list = [
    path("spotlight/", s.spotlight_list, name="spotlight-list"),
    path("spotlight/<int:pk>/", s.spotlight_detail, name="spotlight-detail"),
    path("spotlight/manage/", s.spotlight_manage, name="spotlight-manage"),
    path("spotlight/pick/<int:pk>/", s.spotlight_pick, name="spotlight-pick"),
    path("spotlight/new/<int:pk>/", s.spotlight_create, name="spotlight-create"),
    path("spotlight/<int:pk>/edit/", s.spotlight_edit, name="spotlight-edit"),
    path("spotlight/<int:pk>/consent/", s.spotlight_consent, name="spotlight-consent"),
    path("spotlight/<int:pk>/step/<str:target>/", s.spotlight_step, name="spotlight-step"),
    path("programmes/", n.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/new/", n.programme_create, name="programme-create"),
    path("programmes/<int:pk>/", n.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", n.programme_edit, name="programme-edit"),
    path("nominations/", n.NominationListView.as_view(), name="nomination-list"),
    path("nominations/new/", n.nomination_create, name="nomination-create"),
    path("nominations/<int:pk>/", n.nomination_detail, name="nomination-detail"),
    path("nominations/<int:pk>/edit/", n.nomination_edit, name="nomination-edit"),
    path("nominations/<int:pk>/step/<str:target>/", n.nomination_step,
         name="nomination-step"),
]
