"""Reference data seeded by data migrations: taxonomies and the rules-as-data tables.

`ensure_reference_data()` re-applies those seeds when their tables are empty: transactional
tests flush the database after themselves, taking migration data with them.
"""

import importlib

from django.apps import apps

# (seed migration module, a model the seed fills): the seed runs again when the model is empty.
# A table several apps seed (core.FourEyesRule) lists each app's seed: all of them run again.
SEEDS = [
    ("tmhub.core.migrations.0002_seed_taxonomies", "core.District"),
    ("tmhub.core.migrations.0002_seed_taxonomies", "core.Discipline"),
    ("tmhub.talent.migrations.0002_seed_competences_policy", "talent.Competence"),
    ("tmhub.training.migrations.0002_seed_rules", "training.CompletionRule"),
    ("tmhub.transfer.migrations.0002_seed_reward_rules", "transfer.RewardRule"),
    ("tmhub.transfer.migrations.0006_seed_stage_gates", "transfer.StageGate"),
    ("tmhub.core.migrations.0004_four_eyes_rules", "core.FourEyesRule"),
    ("tmhub.network.migrations.0006_financing_approval", "core.FourEyesRule"),
    ("tmhub.evaluation.migrations.0014_cases", "core.FourEyesRule"),
    ("tmhub.evaluation.migrations.0015_spotlight_nominations", "core.FourEyesRule"),
    ("tmhub.evaluation.migrations.0002_seed_titles", "evaluation.TitleLevel"),
    ("tmhub.evaluation.migrations.0008_seed_scoring_criteria", "evaluation.ScoringCriterion"),
    ("tmhub.evaluation.migrations.0012_seed_indicator_systems", "evaluation.IndicatorSystem"),
    ("tmhub.pilots.migrations.0002_kpi_types", "pilots.KpiType"),
    ("tmhub.insights.migrations.0002_seed_plan", "insights.Plan"),
    # after the reward and title rules it links to
    ("tmhub.insights.migrations.0004_seed_plan_policy", "insights.SupportPolicy"),
    ("tmhub.network.migrations.0002_service_types", "network.ServiceType"),
]


def _seeder(module):
    """The migration's seed function (`seed`, or the `forwards` of core.rules.seed_rows)."""
    return getattr(module, "seed", None) or module.forwards


def ensure_reference_data() -> None:
    # which tables are empty is decided before any seed runs, so a second app's seed of a table
    # the first seed has just refilled still runs
    empty = {label for _module, label in SEEDS if not apps.get_model(label).objects.exists()}
    done = set()
    for module_name, model_label in SEEDS:
        if module_name in done or model_label not in empty:
            continue
        _seeder(importlib.import_module(module_name))(apps, None)
        done.add(module_name)
