"""The register as an Excel workbook with Vietnamese headers, every text cell through the one formula rule."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from lms.certificates.models import Certificate, CertificateStatus
from lms.text import set_xlsx_text

HEADERS = ["STT", "Số hiệu", "Số vào sổ", "Họ và tên", "Ngày sinh", "Đơn vị công tác", "Khóa đào tạo", "Lớp",
           "Số giờ", "Ngày cấp", "Hết hạn", "Tình trạng", "Ngày thu hồi", "Lý do thu hồi", "Thay bằng"]
STATUS_VI = {CertificateStatus.VALID: "Còn hiệu lực", CertificateStatus.REVOKED: "Đã thu hồi",
             CertificateStatus.SUPERSEDED: "Đã được thay thế", CertificateStatus.EXPIRED: "Hết hạn"}
DATE_FORMAT = "DD/MM/YYYY"
WIDTHS = [6, 20, 12, 28, 12, 32, 32, 32, 8, 12, 12, 16, 12, 32, 20]


def register_workbook(certificates: list[Certificate], *, today: date, title: str) -> bytes:
    """One row per certificate, in the order given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ cấp chứng chỉ"
    set_xlsx_text(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for column, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=3, column=column)
        set_xlsx_text(cell, header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = WIDTHS[column - 1]
    for index, certificate in enumerate(certificates, start=1):
        _write_row(sheet, 3 + index, index, certificate, today)
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_row(sheet, row: int, index: int, certificate: Certificate, today: date) -> None:
    replacement = certificate.superseded_by.number if certificate.superseded_by else ""
    values = [index, certificate.number, certificate.register_no, certificate.holder_name,
              certificate.holder_birth_date, certificate.holder_unit, certificate.course_title,
              certificate.class_name, certificate.hours, certificate.issued_on, certificate.expires_on,
              STATUS_VI.get(certificate.status_on(today), ""), certificate.revoked_on, certificate.revoked_reason,
              replacement]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            set_xlsx_text(cell, value)
        else:
            cell.value = value
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
