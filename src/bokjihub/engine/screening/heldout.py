"""Held-out synthetic data with shifted prevalences, for judging the learned model.

:func:`generate_shifted` draws feeds like :func:`~bokjihub.engine.screening.synth.generate`
but with every indicator's noise prevalence (and the share of habitual late payers) and
crisis prevalence scaled (and, by
default, a few indicators made noisier), so a model is judged on data that differs from
what it was trained on. The shift is applied to the generator's prevalence table for the
duration of the call only.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path

from bokjihub.engine.screening import synth

# Indicators whose noise grows in the held-out world (e.g. a new arrears collection policy).
DEFAULT_NOISIER = {
    "telecom_arrears_months": 2.0,
    "pension_arrears_months": 1.5,
    "free_meal_support": 1.5,
}


def shifted_signals(
    *,
    noise_scale: float = 1.3,
    signal_scale: float = 0.85,
    noisier: Mapping[str, float] | None = None,
) -> dict[str, tuple[float, dict[str, float]]]:
    noisier = DEFAULT_NOISIER if noisier is None else noisier
    return {
        name: (
            noise * noise_scale * noisier.get(name, 1.0),
            {kind: min(p * signal_scale, 0.95) for kind, p in by_kind.items()},
        )
        for name, (noise, by_kind) in synth._SIGNALS.items()
    }


def generate_shifted(
    *,
    households: int,
    seed: int,
    out: str | Path,
    sigungu_codes: Sequence[str] | None = None,
    noise_scale: float = 1.3,
    signal_scale: float = 0.85,
    noisier: Mapping[str, float] | None = None,
) -> dict:
    """:func:`synth.generate` with shifted prevalences; the summary gains ``shift``."""
    original, original_habitual = synth._SIGNALS, synth.HABITUAL_SHARE
    synth._SIGNALS = shifted_signals(
        noise_scale=noise_scale, signal_scale=signal_scale, noisier=noisier
    )
    synth.HABITUAL_SHARE = original_habitual * noise_scale
    try:
        summary = synth.generate(
            households=households, seed=seed, out=Path(out), sigungu_codes=sigungu_codes
        )
    finally:
        synth._SIGNALS, synth.HABITUAL_SHARE = original, original_habitual
    summary["shift"] = {
        "noise_scale": noise_scale,
        "signal_scale": signal_scale,
        "noisier": dict(DEFAULT_NOISIER if noisier is None else noisier),
    }
    return summary
