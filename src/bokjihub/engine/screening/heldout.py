"""Held-out synthetic data with shifted prevalences, for judging the learned model.

:func:`generate_shifted` draws feeds like :func:`~bokjihub.engine.screening.synth.generate`
but with every indicator's noise prevalence (and the share of habitual late payers) and
crisis prevalence scaled (and, by
default, a few indicators made noisier), so a model is judged on data that differs from
what it was trained on. The shifted prevalences are passed to the generator as arguments
(``signals``, ``habitual_share``): its module tables are never changed.
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
    summary = synth.generate(
        households=households,
        seed=seed,
        out=Path(out),
        sigungu_codes=sigungu_codes,
        signals=shifted_signals(
            noise_scale=noise_scale, signal_scale=signal_scale, noisier=noisier
        ),
        habitual_share=synth.HABITUAL_SHARE * noise_scale,
    )
    summary["shift"] = {
        "noise_scale": noise_scale,
        "signal_scale": signal_scale,
        "noisier": dict(DEFAULT_NOISIER if noisier is None else noisier),
    }
    return summary
