"""Staff pages of certificates: a class's eligibility and certificates, bulk and single issue, revoke, re-issue."""
