"""Regression tests for the OWASP ASVS 5.0 Level 2 findings of issue 11."""
