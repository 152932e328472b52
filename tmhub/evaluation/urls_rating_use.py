"""The pages of the use of rating results (issue 17 item 4), added to the evaluation
namespace by urls_ratings.py: a rating cited by a title application, and the exports of a
round's results."""

from django.urls import path

from tmhub.evaluation.views import rating_evidence, rating_export

urlpatterns: list = [
    path("applications/<int:pk>/rating/attach/", rating_evidence.evidence_attach,
         name="application-rating-attach"),
    path("applications/<int:pk>/rating/detach/", rating_evidence.evidence_detach,
         name="application-rating-detach"),
    path("ratings/exports/", rating_export.ExportRoundListView.as_view(),
         name="rating-export-list"),
    path("ratings/rounds/<int:pk>/export/", rating_export.round_export,
         name="rating-round-export"),
]
