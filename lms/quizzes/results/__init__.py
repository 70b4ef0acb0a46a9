"""What staff do after (and during) a test: results, overrides, regrades, statistics, exports."""
