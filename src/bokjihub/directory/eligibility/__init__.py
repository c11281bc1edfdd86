"""Eligibility pre-check: statutory benefits as rules as code (OpenFisca's model)."""

from bokjihub.directory.eligibility.household import Household, Member
from bokjihub.directory.eligibility.rules import RULES, Criterion, Outcome, Result, precheck

__all__ = ["RULES", "Criterion", "Household", "Member", "Outcome", "Result", "precheck"]
