"""Tests of certificates: payload, keys, numbering, issuing, eligibility, verification and the CLI."""
