"""Vietnamese for the test page on a weak phone link: offline copy, navigator button, skip link (issue 14)."""

VI = {
    "You are offline. This test was opened from the copy kept on this device; the clock keeps running. Your answers "
    "are kept on this device and are sent as soon as the connection returns.":
        "Bạn đang mất kết nối. Bài kiểm tra được mở từ bản lưu trên thiết bị này; đồng hồ vẫn tiếp tục chạy. Các câu "
        "trả lời của bạn được giữ trên thiết bị này và sẽ được gửi ngay khi có kết nối trở lại.",
    "Skip to question 1": "Chuyển đến câu 1",
    "Pass mark: %(percent)s": "Điểm đạt: %(percent)s",
}
