"""Vietnamese translations of the staff certificate pages and the register (lms/certificates/staff, register)."""

VI = {
    "%(count)d certificates found.": "Tìm thấy %(count)d chứng chỉ.",
    "%(eligible)d of %(total)d trainees are eligible; %(certified)d hold a certificate.":
        "%(eligible)d/%(total)d học viên đủ điều kiện; %(certified)d người đã có chứng chỉ.",
    "A new certificate with a new number replaces this one; the old one's verification points to the new one. "
    "Correct the details below.":
        "Một chứng chỉ mới với số hiệu mới sẽ thay thế chứng chỉ này; trang xác minh của chứng chỉ cũ sẽ dẫn đến "
        "chứng chỉ mới. Hãy sửa các thông tin dưới đây.",
    "A revoked certificate stays in the register; its verification page says it was revoked, when and why.":
        "Chứng chỉ bị thu hồi vẫn nằm trong sổ; trang xác minh sẽ ghi rõ đã bị thu hồi, ngày nào và lý do.",
    "All classes": "Tất cả các lớp",
    "All statuses": "Mọi tình trạng",
    "As issued": "Thông tin khi cấp",
    "Back to the class's certificates": "Quay lại chứng chỉ của lớp",
    "Certificate": "Chứng chỉ",
    "Certificate %(number)s issued.": "Đã cấp chứng chỉ số %(number)s.",
    "Certificate %(number)s revoked.": "Đã thu hồi chứng chỉ số %(number)s.",
    "Certificate %(old)s re-issued as %(new)s.": "Đã cấp lại chứng chỉ %(old)s thành chứng chỉ %(new)s.",
    "Certificate register": "Sổ cấp chứng chỉ",
    "Certificate settings of the class": "Thiết lập chứng chỉ của lớp",
    "Certificates": "Chứng chỉ",
    "Certificates of the class": "Chứng chỉ của lớp",
    "Certificates of this class are already being issued: here is the progress.":
        "Chứng chỉ của lớp này đang được cấp: đây là tiến độ.",
    "Download the PDF": "Tải tệp PDF",
    "Eligible": "Đủ điều kiện",
    "Expired": "Hết hạn",
    "Expires": "Hết hạn ngày",
    "Finished": "Đã xong",
    "History": "Lịch sử",
    "Hours must be between 1 and %(max)d.": "Số giờ phải từ 1 đến %(max)d.",
    "I have checked the details and confirm": "Tôi đã kiểm tra thông tin và xác nhận",
    "Issue a certificate": "Cấp chứng chỉ",
    "Issue a certificate to every eligible trainee who has none yet (%(count)d now). It runs in the background: "
    "you may leave the page and come back.":
        "Cấp chứng chỉ cho mọi học viên đủ điều kiện chưa có chứng chỉ (hiện có %(count)d người). Việc cấp chạy "
        "nền: bạn có thể rời trang và quay lại sau.",
    "Issue automatically when a trainee becomes eligible": "Tự động cấp khi học viên đủ điều kiện",
    "Issue certificates to all eligible trainees": "Cấp chứng chỉ cho tất cả học viên đủ điều kiện",
    "Issue the certificate": "Cấp chứng chỉ",
    "Issued": "Cấp",
    "Issued from (dd/mm/yyyy)": "Cấp từ ngày (dd/mm/yyyy)",
    "Issued how": "Hình thức cấp",
    "Issued until (dd/mm/yyyy)": "Cấp đến ngày (dd/mm/yyyy)",
    "Issue…": "Cấp…",
    "Issuing": "Đang cấp",
    "Issuing certificates": "Cấp chứng chỉ",
    "Last bulk issue": "Lần cấp hàng loạt gần nhất",
    "Next": "Trang sau",
    "No certificate matches.": "Không có chứng chỉ nào phù hợp.",
    "Not eligible": "Chưa đủ điều kiện",
    "Not issued": "Chưa cấp được",
    "Number or name": "Số hiệu hoặc họ tên",
    "Page": "Trang",
    "Page %(page)d of %(pages)d": "Trang %(page)d/%(pages)d",
    "Pages": "Các trang",
    "Previous": "Trang trước",
    "Print the test result on the certificate": "In kết quả kiểm tra trên chứng chỉ",
    "Re-issue": "Cấp lại",
    "Re-issue a certificate": "Cấp lại chứng chỉ",
    "Re-issue certificate %(number)s": "Cấp lại chứng chỉ số %(number)s",
    "Re-issue the certificate": "Cấp lại chứng chỉ",
    "Re-issued": "Cấp lại",
    "Register entry": "Số vào sổ",
    "Replaced by": "Được thay bằng",
    "Replaces": "Thay cho",
    "Revoke": "Thu hồi",
    "Revoke a certificate": "Thu hồi chứng chỉ",
    "Revoke certificate %(number)s": "Thu hồi chứng chỉ số %(number)s",
    "Revoke the certificate": "Thu hồi chứng chỉ",
    "Revoked": "Đã thu hồi",
    "Revoked on %(date)s: %(reason)s": "Thu hồi ngày %(date)s: %(reason)s",
    "Revoked on (dd/mm/yyyy)": "Ngày thu hồi (dd/mm/yyyy)",
    "Signer": "Người ký",
    "Stopped on an error": "Dừng do lỗi",
    "Superseded": "Đã được thay thế",
    "The certificate settings of the class have been saved.": "Đã lưu thiết lập chứng chỉ của lớp.",
    "The issue stopped on an unexpected error.": "Việc cấp chứng chỉ dừng lại do một lỗi không lường trước.",
    "This trainee is not eligible: %(reasons)s. Issue only with a reason (for example an exemption).":
        "Học viên này chưa đủ điều kiện: %(reasons)s. Chỉ cấp khi có lý do (ví dụ được miễn).",
    "Tick the box to confirm.": "Hãy đánh dấu ô để xác nhận.",
    "Trainees done": "Học viên đã xử lý",
    "Valid for (months; empty: no expiry)": "Thời hạn (tháng; để trống: không hết hạn)",
    "Validity must be between 1 and %(max)d months.": "Thời hạn phải từ 1 đến %(max)d tháng.",
    "Verification page": "Trang xác minh",
    "Waiting to start": "Đang chờ bắt đầu",
    "What": "Việc gì",
    "When": "Khi nào",
    "Who": "Ai",
    "You may leave this page: the issue goes on. Reload the page to see the progress.":
        "Bạn có thể rời trang này: việc cấp vẫn tiếp tục. Tải lại trang để xem tiến độ.",
    "automatic": "tự động",
    "bulk": "hàng loạt",
    "certificates issued": "chứng chỉ đã cấp",
    "never": "không hết hạn",
    "no": "không",
    "one by one": "từng người",
    "re-issue": "cấp lại",
    "the system (automatic)": "hệ thống (tự động)",
    "yes": "có",
}
VI.update({
    "Verifications": "Lượt xác minh",
    "checked %(count)d times": "đã được kiểm tra %(count)d lần",
    "last on %(when)s": "lần gần nhất lúc %(when)s",
    "All certificates as one PDF (for printing)": "Tất cả chứng chỉ trong một tệp PDF (để in)",
    "All certificates as a ZIP of PDFs": "Tất cả chứng chỉ dạng tệp ZIP gồm các PDF",
})
# Strings of the download pages (certs-docs) merged here without their Vietnamese yet: the whole catalogue must
# stay translated. Should their own file define them too, the two agree or theirs may replace these lines.
VI.update({
    "Download": "Tải về",
    "Expired on %(day)s": "Hết hạn ngày %(day)s",
    "My certificates": "Chứng chỉ của tôi",
    "No longer downloadable": "Không còn tải được",
    "PDF": "PDF",
    "Replaced": "Đã được thay thế",
    "The PDF of certificate %(number)s could not be reproduced exactly as it was issued, so it is not handed out. "
    "The administrators have been told.":
        "Không thể tạo lại tệp PDF của chứng chỉ số %(number)s đúng như khi cấp, nên tệp không được cung cấp. "
        "Quản trị hệ thống đã được thông báo.",
    "You have no certificate yet. A certificate is issued when you pass the end-of-course test of your class.":
        "Bạn chưa có chứng chỉ nào. Chứng chỉ được cấp khi bạn đạt bài kiểm tra cuối khóa của lớp.",
    "by %(number)s": "bằng chứng chỉ số %(number)s",
    "on %(day)s": "ngày %(day)s",
    "until %(day)s": "đến ngày %(day)s",
})
