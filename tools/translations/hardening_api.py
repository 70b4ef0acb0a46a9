"""Vietnamese translations of the API's input limits: JSON size and depth, strict types, event limits."""

VI = {
    "The data sent is nested too deeply (at most %(limit)d levels).":
        "Dữ liệu gửi lên lồng nhau quá sâu (tối đa %(limit)d cấp).",
    "a whole number is expected": "cần một số nguyên",
    "true or false is expected": "cần giá trị true hoặc false",
    "a text is expected": "cần một chuỗi ký tự",
    "an object {...} is expected": "cần một đối tượng {...}",
    "a list [...] is expected": "cần một danh sách [...]",
    "this field is required": "trường này là bắt buộc",
    "this field is not allowed": "trường này không được phép",
    "must be one of %(values)s": "phải là một trong các giá trị %(values)s",
    "must be at least %(limit)s": "phải lớn hơn hoặc bằng %(limit)s",
    "must be at most %(limit)s": "phải nhỏ hơn hoặc bằng %(limit)s",
    "is too short": "quá ngắn",
    "is too long": "quá dài",
    "The event detail is too large (at most %(limit)d bytes).": "Chi tiết sự kiện quá lớn (tối đa %(limit)d byte).",
    "Too many page events for this attempt: try again in %(seconds)d seconds.":
        "Bài làm này gửi quá nhiều sự kiện trang: hãy thử lại sau %(seconds)d giây.",
    "Too many page events": "Quá nhiều sự kiện trang",
    "%(count)d more page events not logged since %(time)s; the last: %(event)s":
        "%(count)d sự kiện trang khác không được ghi từ %(time)s; sự kiện cuối: %(event)s",
}
