"""What a trainer does before a test: question banks, imports and exports, test definitions."""
