"""The dashboard totals follow changes made outside training: a manager's profile in the
talent pool (work district, employer, entry route, industry fields) and an organisation's
district or kind decide whose figures a trainee counts in (dashboard/population.py).

Each receiver watches the affected trainees before the change and books the difference
after it (dashboard/figures.py), in the writer's transaction. Changes that cannot affect the
figures (a profile of someone never enrolled, a renamed organisation) cost one query.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from tmhub.training.dashboard import cache as dashboard_cache
from tmhub.training.dashboard import figures

ATTRIBUTING = ("work_district_id", "employer_id", "entry_route")
PENDING = "_training_figures"


def _trainees_of(user_ids) -> list[int]:
    from tmhub.training.models import Enrolment

    return list(Enrolment.objects.filter(trainee_id__in=list(user_ids))
                .values_list("trainee_id", flat=True).distinct())


def _start(instance, trainee_ids) -> None:
    if not trainee_ids:
        return
    dashboard_cache.changed()
    tracker = figures.begin(trainee_ids)
    if tracker is not None:
        instance.__dict__[PENDING] = tracker


def _finish(instance, **kwargs) -> None:
    tracker = instance.__dict__.pop(PENDING, None)
    if tracker is not None:
        tracker.finish()


def profile_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not instance.user_id:
        return
    old = sender.objects.filter(pk=instance.pk).values(*ATTRIBUTING).first() \
        if instance.pk else None
    if old is not None and all(old[f] == getattr(instance, f) for f in ATTRIBUTING):
        return
    _start(instance, _trainees_of([instance.user_id]))


def profile_pre_delete(sender, instance, **kwargs):
    _start(instance, _trainees_of([instance.user_id]))


def profile_fields_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from tmhub.training.models import TrainedManager

    if action.startswith("pre_"):
        if reverse:  # an industry field losing or gaining profiles
            profiles = apps.get_model("talent", "ManagerProfile").objects.filter(
                **({"pk__in": pk_set} if pk_set else {"fields": instance}))
            users = profiles.values_list("user_id", flat=True)
        else:
            users = [instance.user_id]
        trained = list(TrainedManager.objects.filter(trainee_id__in=list(users))
                       .values_list("trainee_id", flat=True))
        _start(instance, trained)
    elif action.startswith("post_"):
        _finish(instance)


def organization_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    old = sender.objects.filter(pk=instance.pk).values("district_id", "kind").first()
    if old is None or (old["district_id"], old["kind"]) == (instance.district_id, instance.kind):
        return
    from tmhub.training.models import Enrolment

    condition = Q(organization_id=instance.pk)
    if figures.has_profiles():
        condition |= Q(trainee__manager_profile__employer_id=instance.pk)
    _start(instance, list(Enrolment.objects.filter(condition)
                          .values_list("trainee_id", flat=True).distinct()))


def connect() -> None:
    organization = apps.get_model("orgs", "Organization")
    pre_save.connect(organization_pre_save, sender=organization, dispatch_uid="training-org")
    post_save.connect(_finish, sender=organization, dispatch_uid="training-org")
    if not figures.has_profiles():
        return
    profile = apps.get_model("talent", "ManagerProfile")
    pre_save.connect(profile_pre_save, sender=profile, dispatch_uid="training-profile")
    post_save.connect(_finish, sender=profile, dispatch_uid="training-profile")
    pre_delete.connect(profile_pre_delete, sender=profile, dispatch_uid="training-profile")
    post_delete.connect(_finish, sender=profile, dispatch_uid="training-profile")
    m2m_changed.connect(profile_fields_changed, sender=profile.fields.through,
                        dispatch_uid="training-profile-fields")
