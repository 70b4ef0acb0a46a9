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
