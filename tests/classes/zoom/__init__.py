"""Tests of zoom."""
