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
