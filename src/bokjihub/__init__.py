"""bokjihub (복지허브): find households in crisis and support them, public and private together."""

__version__ = "0.1.0"
