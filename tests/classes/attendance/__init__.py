"""Tests of attendance."""
