"""Vietnamese translations of the API's input limits: JSON size and depth, strict types, event limits."""

VI = {
    "The data sent is nested too deeply (at most %(limit)d levels).":
        "Dữ liệu gửi lên lồng nhau quá sâu (tối đa %(limit)d cấp).",
}
