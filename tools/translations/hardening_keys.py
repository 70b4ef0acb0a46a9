"""Vietnamese translations of the answer-key release rule and the late-save rule (hardening, issue 9)."""

VI = {
    "%(running)d windows open now and %(scheduled)d scheduled; the last closes at %(time)s.":
        "%(running)d đợt thi đang mở và %(scheduled)d đợt đã lên lịch; đợt cuối cùng đóng lúc %(time)s.",
    "Correct answers and explanations": "Đáp án đúng và lời giải thích",
    "Correct answers and explanations are now shown to your trainees who finished this test.":
        "Đáp án đúng và lời giải thích đã được hiển thị cho học viên của đơn vị bạn đã làm xong bài kiểm tra này.",
    "Correct answers and explanations are shown once no class is still taking this test or a test with the same "
    "questions (at the earliest after %(time)s).":
        "Đáp án đúng và lời giải thích sẽ được hiển thị khi không còn lớp nào đang làm bài kiểm tra này hoặc "
        "một bài kiểm tra có cùng câu hỏi (sớm nhất là sau %(time)s).",
    "Held": "Đang giữ lại",
    "I understand that trainees still taking these questions in another class could learn the answers.":
        "Tôi hiểu rằng học viên của lớp khác đang làm các câu hỏi này có thể biết được đáp án.",
    "Keys are released to trainees when no class, of any organising body, is still taking this test or a test "
    "that can draw the same questions, and none is scheduled to; until then trainees see only what the review "
    "settings allow without keys.":
        "Đáp án chỉ được công bố cho học viên khi không còn lớp nào, của bất kỳ đơn vị tổ chức nào, đang làm "
        "bài kiểm tra này hoặc một bài kiểm tra có thể rút cùng câu hỏi, và cũng không còn đợt nào đã lên lịch; "
        "trước đó học viên chỉ xem được những gì chế độ xem lại cho phép, không kèm đáp án.",
    "No window is open or scheduled any more.": "Không còn đợt thi nào đang mở hoặc đã lên lịch.",
    "Release to my trainees now": "Công bố ngay cho học viên của đơn vị tôi",
    "Released": "Đã công bố",
    "Released early by an organiser for your trainees.": "Người tổ chức đã công bố sớm cho học viên của đơn vị.",
    "Tick the box to confirm that you know which windows are still open.":
        "Hãy đánh dấu ô xác nhận rằng bạn đã biết những đợt thi nào vẫn đang mở.",
}
