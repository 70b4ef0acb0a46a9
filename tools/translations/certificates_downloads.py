"""Vietnamese for the certificate downloads (My certificates, staff PDFs)."""

VI = {
    "Download": "Tải về",
    "Expired on %(day)s": "Hết hiệu lực ngày %(day)s",
    "My certificates": "Chứng chỉ của tôi",
    "No longer downloadable": "Không còn tải về được",
    "PDF": "PDF",
    "Replaced": "Đã được thay thế",
    "The PDF of certificate %(number)s could not be reproduced exactly as it was issued, so it is not handed out. "
    "The administrators have been told.": "Không thể tạo lại tệp PDF của chứng chỉ %(number)s đúng như khi cấp, nên "
    "tệp không được cung cấp. Quản trị hệ thống đã được báo.",
    "You have no certificate yet. A certificate is issued when you pass the end-of-course test of your class.":
        "Bạn chưa có chứng chỉ nào. Chứng chỉ được cấp khi bạn đạt bài kiểm tra cuối khóa của lớp.",
    "by %(number)s": "bằng chứng chỉ %(number)s",
    "on %(day)s": "ngày %(day)s",
    "until %(day)s": "đến ngày %(day)s",
}
