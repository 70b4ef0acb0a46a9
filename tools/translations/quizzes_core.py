"""Vietnamese translations of the quiz engine's service and API messages."""

VI = {
    "Each save needs a positive sequence number.": "Mỗi lần lưu cần một số thứ tự dương.",
    "Extra time must be 0 to 600 minutes and extra attempts 0 to 20.": "Thời gian cộng thêm phải từ 0 đến 600 phút và số lần làm thêm từ 0 đến 20.",
    "Invalid data at '%(field)s': %(problem)s": "Dữ liệu không hợp lệ ở '%(field)s': %(problem)s",
    "Please log in first": "Vui lòng đăng nhập trước",
    "Question %(number)d is not part of this attempt.": "Câu %(number)d không thuộc bài làm này.",
    "Question %(number)d: %(reason)s": "Câu %(number)d: %(reason)s",
    "The data sent is too large.": "Dữ liệu gửi lên quá lớn.",
    "The question bank cannot supply this test: %(reason)s": "Ngân hàng câu hỏi không đủ để tạo đề: %(reason)s",
    "The request body is not valid JSON.": "Dữ liệu gửi lên không phải JSON hợp lệ.",
    "The test must close after it opens.": "Thời điểm đóng bài kiểm tra phải sau thời điểm mở.",
    "This attempt is closed; answers can no longer be changed.": "Bài làm đã kết thúc; không thể thay đổi câu trả lời nữa.",
    "This test belongs to another course than the class.": "Bài kiểm tra này thuộc khóa học khác với khóa học của lớp.",
    "This test goes forward only: question %(number)d can no longer be changed.": "Bài kiểm tra chỉ đi tiếp: không thể sửa câu %(number)d nữa.",
    "This test is not open for you now.": "Bài kiểm tra hiện chưa mở cho bạn.",
    "You have used all %(count)d attempts of this test.": "Bạn đã dùng hết %(count)d lần làm bài kiểm tra này.",
}
