"""The audit log: who did which sensitive action, when, from where, with the values before and after."""
