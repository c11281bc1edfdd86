"""Screening of agency signals: feed contract → validation → linkage → rule score → ranking.

Small public API (internals free to change):

* :data:`INDICATORS` — the feed contract;
* :func:`generate` — synthetic national feeds with ground truth;
* :func:`generate_for_registry` — feeds about a given registry's residents, with ground truth;
* :func:`run_pipeline` — validate, link, score and rank feeds into a run directory;
* :func:`evaluate_run` — precision/recall at capacity, ROC-AUC, PR-AUC against the truth.

The SQL is built by pure functions (``validate``, ``link``, ``rules``, ``rank``) that a
backend adapter executes; DuckDB is the default adapter. Django is never imported here.
"""

from bokjihub.engine.screening.contract import INDICATORS
from bokjihub.engine.screening.evaluate import evaluate_run
from bokjihub.engine.screening.pipeline import run_pipeline
from bokjihub.engine.screening.registry_world import generate_for_registry
from bokjihub.engine.screening.synth import generate

__all__ = ["INDICATORS", "evaluate_run", "generate", "generate_for_registry", "run_pipeline"]
