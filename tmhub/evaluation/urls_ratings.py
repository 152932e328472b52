"""The social-evaluation pages (issue 17), under /evaluation/ratings/ in the evaluation
namespace (tmhub.evaluation.urls adds them)."""

from django.urls import path

from tmhub.evaluation.views import ratings as r

urlpatterns: list = [
    path("ratings/", r.RatingListView.as_view(), name="rating-list"),
    path("ratings/<int:pk>/", r.rating_detail, name="rating-detail"),
    path("ratings/<int:pk>/object/", r.rating_object, name="rating-object"),
    path("ratings/objections/<int:pk>/resolve/", r.objection_resolve,
         name="rating-objection-resolve"),
    path("ratings/systems/", r.IndicatorSystemListView.as_view(),
         name="indicator-system-list"),
    path("ratings/systems/<int:pk>/", r.system_detail, name="indicator-system-detail"),
    path("ratings/systems/<int:pk>/publish/", r.system_publish,
         name="indicator-system-publish"),
    path("ratings/systems/<int:pk>/new-version/", r.system_new_version,
         name="indicator-system-new-version"),
    path("ratings/systems/<int:pk>/indicators/new/", r.indicator_add, name="indicator-add"),
    path("ratings/indicators/<int:pk>/remove/", r.indicator_remove, name="indicator-remove"),
    path("ratings/indicators/<int:pk>/edit/", r.indicator_edit, name="indicator-edit"),
    path("ratings/systems/<int:pk>/weights/", r.system_weights,
         name="indicator-system-weights"),
    path("ratings/accreditations/", r.AccreditationListView.as_view(),
         name="rating-accreditation-list"),
    path("ratings/accreditations/new/", r.accreditation_create,
         name="rating-accreditation-create"),
    path("ratings/accreditations/<int:pk>/revoke/", r.accreditation_revoke,
         name="rating-accreditation-revoke"),
    path("ratings/rounds/", r.RatingRoundListView.as_view(), name="rating-round-list"),
    path("ratings/rounds/new/", r.round_create, name="rating-round-create"),
    path("ratings/rounds/<int:pk>/", r.round_detail, name="rating-round-detail"),
    path("ratings/rounds/<int:pk>/progress/", r.round_progress, name="rating-round-progress"),
    path("ratings/rounds/<int:pk>/step/<str:target>/", r.round_step, name="rating-round-step"),
    path("ratings/rounds/<int:pk>/assign/", r.round_assign, name="rating-round-assign"),
    path("ratings/reviews/", r.RatingReviewListView.as_view(), name="rating-review-list"),
    path("ratings/reviews/<int:pk>/", r.review_score, name="rating-review-detail"),
]

# The use of rating results (issue 17 item 4): title evidence and the exports.
from tmhub.evaluation.urls_rating_use import urlpatterns as _rating_use  # noqa: E402

urlpatterns += _rating_use
