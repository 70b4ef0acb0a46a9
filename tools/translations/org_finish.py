"""Vietnamese for the joins of issue 13 and issue 11: attendance in reports, upcoming sessions, class links."""

VI = {
    "Attendance": "Chuyên cần",
    "Attendance: share of the ended sessions' time, against the class's rule.":
        "Chuyên cần: tỷ lệ thời gian có mặt trong các buổi học đã kết thúc, so với yêu cầu của lớp.",
    "Attendance: no session of this class has ended yet.": "Chuyên cần: lớp chưa có buổi học nào kết thúc.",
    "rule met": "Đạt yêu cầu",
    "rule not met": "Chưa đạt yêu cầu",
    "Average attendance": "Chuyên cần bình quân",
    "Meeting the attendance rule": "Đạt yêu cầu chuyên cần",
    "For the yearly report to the provincial People's Committee: participants, attendance, pass rate and "
    "certificates by class, work unit and commune or ward. Attendance counts the trainees of classes with ended "
    "sessions: their average share of session time and how many meet their class's rule.":
        "Phục vụ báo cáo hằng năm gửi Ủy ban nhân dân tỉnh: số học viên, chuyên cần, tỷ lệ đạt và chứng chỉ theo "
        "lớp, đơn vị công tác và xã, phường. Chuyên cần tính cho học viên của các lớp đã có buổi học kết thúc: tỷ lệ "
        "thời gian có mặt bình quân và tỷ lệ học viên đạt yêu cầu chuyên cần của lớp.",
    "Sessions in the next 7 days": "Buổi học trong 7 ngày tới",
    "Upcoming sessions": "Buổi học sắp tới",
    "No session in the next 7 days.": "Không có buổi học nào trong 7 ngày tới.",
    "Attendance sheet and rule": "Bảng điểm danh và yêu cầu chuyên cần",
    "Attendance sheet": "Bảng điểm danh",
    "Certificates and their settings": "Chứng chỉ và thiết lập chứng chỉ của lớp",
    "Certificate design of the organising body": "Mẫu chứng chỉ của cơ quan tổ chức",
}
