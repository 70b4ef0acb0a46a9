"""Vietnamese translations of the course outline and lesson self-check messages (lms/courses/)."""

VI = {
    "Currency of the content": "Tính cập nhật của nội dung",
    "Content last checked": "Nội dung được rà soát lần cuối",
    "not recorded": "chưa ghi nhận",
    "Based on": "Căn cứ",
    "Choose your answer, then press “Check”. Nothing is graded.":
        "Hãy chọn câu trả lời rồi bấm “Kiểm tra”. Phần này không tính điểm.",
    "Several answers are right: choose all of them.": "Có nhiều đáp án đúng: hãy chọn tất cả.",
    "(choose)": "(chọn)",
    "Give each item its place: 1 comes first.": "Hãy cho mỗi mục một vị trí: 1 là mục đứng đầu.",
    "(place)": "(vị trí)",
    "Your answer": "Câu trả lời của bạn",
    "Check": "Kiểm tra",
    "Right.": "Đúng.",
    "Not quite. Here is why:": "Chưa đúng. Lý do:",
    "Choose an answer first.": "Hãy chọn câu trả lời trước.",
}
