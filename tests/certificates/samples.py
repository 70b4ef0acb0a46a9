"""Sample certificate facts and images for the PDF tests: Vietnamese names, a realistic QR text, drawn images."""

from __future__ import annotations

import base64
import io
from datetime import date

from PIL import Image, ImageDraw

from lms.certificates.pdf import CertificateFacts

NAMES = ("Nguyễn Thị Hương", "Đặng Kim Lợi", "Trần Văn Út Tám")
CODE = "Zx8y_Qw3-Rt5Up7Ka9Lm2NbV4cX6zA1s"


def qr_text_for(name: str, number: str = "STTG-2021-00042") -> str:
    data = "\n".join([number, name, "1985", "Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
                      "2021-11-02", "Sở Khoa học và Công nghệ tỉnh Tiền Giang"]).encode()
    signature = base64.urlsafe_b64encode(bytes(range(64))).rstrip(b"=").decode()
    return (f"https://lms.tiengiang.gov.vn/verify/{CODE}?k=k20211102&s={signature}"
            f"&d={base64.urlsafe_b64encode(data).rstrip(b'=').decode()}")


def png(kind: str, size: tuple[int, int] = (300, 300)) -> bytes:
    """A transparent PNG drawn like a logo, a seal or a signature."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    w, h = size
    if kind == "seal":
        draw.ellipse((4, 4, w - 4, h - 4), outline=(200, 0, 0, 220), width=max(4, w // 20))
        draw.ellipse((w // 6, h // 6, w - w // 6, h - h // 6), outline=(200, 0, 0, 220), width=max(2, w // 60))
    elif kind == "signature":
        draw.line([(10, h * 3 // 4), (w // 4, h // 5), (w // 3, h * 4 // 5), (w // 2, h // 4), (w - 10, h // 2)],
                  fill=(20, 20, 120, 255), width=6)
    else:
        draw.ellipse((4, 4, w - 4, h - 4), fill=(31, 78, 121, 255))
        draw.rectangle((w // 3, h // 4, w * 2 // 3, h * 3 // 4), fill=(255, 200, 0, 255))
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def facts(name: str = NAMES[0], *, number: str = "STTG-2021-00042", images: bool = True, **changes) -> CertificateFacts:
    values = dict(
        number=number, register_no="42/2021", holder_name=name, holder_birth_date=date(1985, 3, 7),
        holder_unit="UBND xã Tân Mỹ Chánh, thành phố Mỹ Tho, tỉnh Tiền Giang",
        course_title="Xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
        class_name="ISO-TG-2021-03", class_starts_on=date(2021, 11, 1), class_ends_on=date(2021, 11, 2), hours=16,
        result_text="Đạt (27/30 điểm)", body_name="Sở Khoa học và Công nghệ tỉnh Tiền Giang", issue_place="Tiền Giang",
        issued_on=date(2021, 11, 2), signer_title="KT. Giám đốc | Phó Giám đốc", signer_name="Đặng Kim Lợi",
        qr_text=qr_text_for(name, number), verify_address=f"https://lms.tiengiang.gov.vn/verify/{CODE}",
        logo=png("logo") if images else None, signature=png("signature", (280, 110)) if images else None,
        seal=png("seal") if images else None,
    )
    values.update(changes)
    return CertificateFacts(**values)
