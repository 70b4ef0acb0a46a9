"""Vietnamese translations of strings added while checking the merged pages (crawl and screenshots)."""

VI = {
    "session of %(day)s": "buổi học ngày %(day)s",
    "Attendance sheet": "Bảng điểm danh",
    "For the yearly report to the provincial People's Committee: participants, pass rate and certificates by "
    "class, work unit and commune or ward. Attendance is on each class's attendance sheet.":
        "Phục vụ báo cáo hằng năm gửi UBND tỉnh: số học viên, tỷ lệ đạt và số chứng chỉ theo lớp, đơn vị công tác "
        "và xã, phường. Số liệu điểm danh xem ở bảng điểm danh của từng lớp.",
}
