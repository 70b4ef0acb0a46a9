"""Accounts: sign-in, passwords, roles and the throttle on failed logins."""
