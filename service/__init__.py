"""Thresholds service: interfaces over the engine (command line; JSON API and pages to come)."""
