"""Vietnamese for the audit log, class management, reports and the organiser dashboard."""

VI = {
    # audit log
    "Account created": "Tạo tài khoản",
    "Account changed": "Sửa tài khoản",
    "Role changed": "Đổi vai trò",
    "Password reset": "Cấp lại mật khẩu",
    "Organising body created": "Tạo đơn vị tổ chức",
    "Work unit created": "Tạo đơn vị công tác",
    "Class created": "Tạo lớp học",
    "Class changed": "Sửa lớp học",
    "Class copied": "Sao chép lớp học",
    "Class archived": "Lưu trữ lớp học",
    "Question added": "Thêm câu hỏi",
    "Question or answer key changed": "Sửa câu hỏi hoặc đáp án",
    "Question retired": "Ngừng dùng câu hỏi",
    "Question restored": "Dùng lại câu hỏi",
    "Questions imported": "Nhập câu hỏi từ tệp",
    "Test settings saved": "Lưu thiết lập bài kiểm tra",
    "Test opened for a class": "Mở bài kiểm tra cho lớp",
    "Test window closed": "Đóng khung giờ làm bài",
    "Extra time or attempts given": "Cho thêm thời gian hoặc lượt làm",
    "Answer keys released": "Công bố đáp án",
    "Test regraded": "Chấm lại bài kiểm tra",
    "Audit log": "Nhật ký thao tác",
    "Every sensitive action: who did it, when, from which address, and the values before and after. "
    "Entries cannot be changed or deleted.":
        "Mọi thao tác quan trọng: ai thực hiện, khi nào, từ địa chỉ nào, giá trị trước và sau. "
        "Không thể sửa hay xóa các mục nhật ký.",
    "Person (who acted, or whom it concerned)": "Người (người thực hiện hoặc người liên quan)",
    "Action": "Hành động",
    "From (dd/mm/yyyy)": "Từ ngày (dd/mm/yyyy)",
    "Until (dd/mm/yyyy)": "Đến ngày (dd/mm/yyyy)",
    "Export as CSV": "Xuất tệp CSV",
    "%(count)d entries, newest first.": "%(count)d mục, mới nhất trước.",
    "When": "Thời điểm",
    "Who": "Người thực hiện",
    "Concerning": "Đối tượng",
    "Before": "Trước",
    "After": "Sau",
    "Address": "Địa chỉ",
    "System": "Hệ thống",
    "No entry matches.": "Không có mục nào phù hợp.",
    "Pages": "Các trang",
    "Newer": "Mới hơn",
    "Older": "Cũ hơn",
    "Page %(page)d of %(pages)d": "Trang %(page)d / %(pages)d",
}
VI.update({
    "Passed: %(passed)d of %(enrolled)d trainees (%(rate)s); sat the test: %(sat)d; not sat: %(not_sat)d.":
        "Đạt: %(passed)d/%(enrolled)d học viên (%(rate)s); đã làm bài: %(sat)d; chưa thi: %(not_sat)d.",
    "Not sat": "Chưa thi",
    "Not started": "Chưa bắt đầu",
    "Extra %(asked)d minutes asked, %(given)d given: the window closes at %(time)s.":
        "Đề nghị thêm %(asked)d phút, chỉ cho được %(given)d phút: khung giờ làm bài đóng lúc %(time)s.",
})
VI["former"] = "cũ"
VI.update({
    # class management
    "The capacity must be between 1 and %(most)d trainees.": "Sức chứa phải từ 1 đến %(most)d học viên.",
    "%(count)d trainees are already enrolled: the capacity cannot be lower.":
        "Đã có %(count)d học viên ghi danh: sức chứa không thể thấp hơn.",
    "Choose one of the tests of the class's course.": "Hãy chọn một bài kiểm tra của khóa học của lớp.",
    "This class is archived and can no longer be changed.": "Lớp này đã được lưu trữ, không thể thay đổi nữa.",
    "The course cannot change once trainees are enrolled.": "Không thể đổi khóa học khi lớp đã có học viên.",
    "%(name)s (copy)": "%(name)s (bản sao)",
    "Only a finished class (its last day is past) can be archived.":
        "Chỉ lưu trữ được lớp đã kết thúc (đã qua ngày học cuối).",
    "End-of-course test": "Bài kiểm tra cuối khóa",
    "Capacity (most trainees; empty: no limit)": "Sức chứa (số học viên tối đa; để trống: không giới hạn)",
    "Notes": "Ghi chú",
    "(not chosen yet)": "(chưa chọn)",
    "The class has been saved.": "Đã lưu lớp học.",
    "The class has been copied with its settings; set the new class's dates.":
        "Đã sao chép lớp cùng các thiết lập; hãy đặt ngày học cho lớp mới.",
    "The class has been archived: it is read-only and hidden from the class list.":
        "Đã lưu trữ lớp: lớp chỉ còn xem được và không hiện trong danh sách lớp.",
    "Class settings: %(name)s": "Thiết lập lớp: %(name)s",
    "The test the class takes at the end of the course; it must belong to the class's course.":
        "Bài kiểm tra lớp làm cuối khóa; phải thuộc khóa học của lớp.",
    "Archived": "Đã lưu trữ",
    "Class settings": "Thiết lập lớp",
    "Copy this class": "Sao chép lớp này",
    "Archive (finished class)": "Lưu trữ (lớp đã kết thúc)",
    "Archived classes": "Lớp đã lưu trữ",
    "Current classes": "Lớp hiện tại",
    "Search by class, code or course": "Tìm theo tên lớp, mã lớp hoặc khóa học",
    "e.g. lop iso xa an phu": "ví dụ: lop iso xa an phu",
    "No class matches.": "Không có lớp nào phù hợp.",
})
VI.update({
    # reports
    "Reports": "Báo cáo",
    "Class report": "Báo cáo lớp",
    "Class report: %(name)s": "Báo cáo lớp: %(name)s",
    "none chosen or opened yet": "chưa chọn hoặc chưa mở",
    "Attendance is not shown: it is not recorded on this platform yet.":
        "Chưa có cột điểm danh: nền tảng chưa ghi nhận điểm danh.",
    "Trainees: %(enrolled)d; sat the test: %(sat)d; passed: %(passed)d (%(rate)s); certificates: %(certified)d "
    "(%(certified_rate)s).":
        "Số học viên: %(enrolled)d; đã thi: %(sat)d; đạt: %(passed)d (%(rate)s); được cấp chứng chỉ: %(certified)d "
        "(%(certified_rate)s).",
    "Excel": "Excel",
    "PDF for printing (A4)": "PDF để in (A4)",
    "Certificate number": "Số hiệu chứng chỉ",
    "Participants": "Học viên",
    "Sat the test": "Đã thi",
    "Pass rate": "Tỷ lệ đạt",
    "Certificates": "Chứng chỉ",
    "Programme report": "Báo cáo chương trình đào tạo",
    "For the yearly report to the provincial People's Committee: participants, pass rate and certificates by "
    "class, work unit and commune or ward. Attendance is not shown: it is not recorded on this platform yet.":
        "Phục vụ báo cáo hằng năm gửi UBND tỉnh: số học viên, tỷ lệ đạt và số chứng chỉ theo lớp, đơn vị công tác "
        "và xã, phường. Chưa có số liệu điểm danh: nền tảng chưa ghi nhận điểm danh.",
    "Show": "Xem",
    "%(classes)d classes, %(participants)d trainees; passed: %(passed)d (%(rate)s); certified: %(certified)d "
    "(%(certified_rate)s).":
        "%(classes)d lớp, %(participants)d học viên; đạt: %(passed)d (%(rate)s); được cấp chứng chỉ: %(certified)d "
        "(%(certified_rate)s).",
    "By class": "Theo lớp",
    "Pass rate by class": "Tỷ lệ đạt theo lớp",
    "Scores": "Phân bố điểm",
    "By work unit": "Theo đơn vị công tác",
    "By commune, ward or special zone": "Theo xã, phường, đặc khu",
    "Commune or ward": "Xã, phường",
    "By former district (classes before 1 July 2025)": "Theo huyện cũ (các lớp trước ngày 01/07/2025)",
    "Scores as a share of the maximum: trainees per band": "Điểm theo tỷ lệ điểm tối đa: số học viên mỗi khoảng",
    "(no commune or ward)": "(không thuộc xã, phường)",
    "(no district)": "(không thuộc huyện)",
    "Classes starting from (dd/mm/yyyy)": "Các lớp khai giảng từ ngày (dd/mm/yyyy)",
    "until (dd/mm/yyyy)": "đến ngày (dd/mm/yyyy)",
    "Classes (none ticked: every class of the period)": "Lớp (không chọn lớp nào: mọi lớp trong khoảng thời gian)",
    "Test quality across classes": "Chất lượng bài kiểm tra giữa các lớp",
    "The facility of each question (share of the marks won) in every class. A question whose facility differs by "
    "30 points or more between two classes of at least 5 attempts is flagged: its answer may have leaked, or its "
    "wording may mislead.":
        "Độ dễ của từng câu hỏi (tỷ lệ điểm đạt được) ở mỗi lớp. Câu có độ dễ chênh nhau từ 30 điểm phần trăm trở "
        "lên giữa hai lớp (mỗi lớp ít nhất 5 lượt làm) được đánh dấu: có thể đáp án đã bị lộ, hoặc câu chữ gây hiểu "
        "nhầm.",
    "No test has been opened for your classes yet.": "Chưa có bài kiểm tra nào được mở cho các lớp của bạn.",
    "%(count)d questions flagged.": "%(count)d câu hỏi được đánh dấu.",
    "%(count)d attempts": "%(count)d lượt làm",
    "Spread": "Chênh lệch",
    "Check": "Cần xem lại",
})
VI.update({
    # dashboard
    "Dashboard": "Tổng quan",
    "Classes in progress": "Lớp đang học",
    "Tests open now": "Bài kiểm tra đang mở",
    "Trainees not yet started": "Học viên chưa làm bài",
    "Certificates issued this month": "Chứng chỉ cấp trong tháng",
    "Closes at %(time)s": "Đóng lúc %(time)s",
    "Submitted: %(submitted)d of %(enrolled)d": "Đã nộp: %(submitted)d/%(enrolled)d",
    "Not yet started": "Chưa bắt đầu làm bài",
    "No test is open now.": "Hiện không có bài kiểm tra nào đang mở.",
    "%(count)d trainees": "%(count)d học viên",
    "No class runs today.": "Hôm nay không có lớp nào học.",
})
VI.update({
    # editing an account
    "You cannot give this role.": "Bạn không thể gán vai trò này.",
    "You cannot change your own role.": "Bạn không thể tự đổi vai trò của mình.",
    "Unknown work unit.": "Đơn vị công tác không tồn tại.",
    "Unknown organising body.": "Đơn vị tổ chức không tồn tại.",
    "The account of %(name)s has been saved.": "Đã lưu tài khoản của %(name)s.",
    "Edit the account": "Sửa tài khoản",
    "Edit the account of %(name)s": "Sửa tài khoản của %(name)s",
    "Every change is kept in the audit log.": "Mọi thay đổi đều được ghi vào nhật ký thao tác.",
})
VI["The class takes at most %(capacity)d trainees; %(count)d are enrolled already."] = (
    "Lớp nhận tối đa %(capacity)d học viên; đã có %(count)d học viên ghi danh.")
