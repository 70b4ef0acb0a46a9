"""Words for certificate statuses, issue modes and job states in the user's language."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.certificates.models import CertificateStatus, IssueMode


def status_label(status: str) -> str:
    return {
        CertificateStatus.VALID: _("Valid"),
        CertificateStatus.REVOKED: _("Revoked"),
        CertificateStatus.SUPERSEDED: _("Superseded"),
        CertificateStatus.EXPIRED: _("Expired"),
    }.get(status, status)


def status_badge(status: str) -> str:
    return {CertificateStatus.VALID: "badge-ok", CertificateStatus.REVOKED: "badge-bad",
            CertificateStatus.SUPERSEDED: "badge-note", CertificateStatus.EXPIRED: "badge-off"}.get(status, "")


def mode_label(mode: str) -> str:
    return {IssueMode.AUTOMATIC: _("automatic"), IssueMode.BULK: _("bulk"), IssueMode.SINGLE: _("one by one"),
            IssueMode.REISSUE: _("re-issue")}.get(mode, mode)


def job_state_label(state: str) -> str:
    return {"queued": _("Waiting to start"), "running": _("Issuing"), "done": _("Finished"),
            "failed": _("Stopped on an error")}.get(state, state)


def event_label(action: str) -> str:
    return {"issued": _("Issued"), "revoked": _("Revoked"), "superseded": _("Superseded"),
            "reissued": _("Re-issued")}.get(action, action)
