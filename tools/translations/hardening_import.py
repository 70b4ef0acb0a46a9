"""Vietnamese translations of the import and export hardening (control characters, spreadsheet limits, GIFT categories)."""

VI = {
    "%(count)d more lines hold control characters": "Còn %(count)d dòng khác chứa ký tự điều khiển",
    "A part of a GIFT category that names a module of the course gives the questions their module; the other parts become tags. A question's own module comment comes first. The category is kept and written back on export.":
        "Phần nào của nhóm câu hỏi (category) GIFT trùng tên một học phần của khóa học thì câu hỏi thuộc học phần đó; các phần còn lại thành thẻ. Chú thích học phần riêng của câu hỏi được ưu tiên. Nhóm câu hỏi được giữ lại và ghi trở lại khi xuất tệp.",
    "Categories of the file": "Các nhóm câu hỏi (category) trong tệp",
    "Category": "Nhóm câu hỏi",
    "Left aside": "Bỏ qua",
    "The .xlsx file is made of %(count)d parts, more than the %(limit)d a question file can have.":
        "Tệp .xlsx gồm %(count)d thành phần, nhiều hơn mức %(limit)d cho phép đối với một tệp câu hỏi.",
    "The .xlsx file unpacks to %(size)d MB, more than the %(limit)d MB allowed; split it into smaller files.":
        "Tệp .xlsx khi giải nén có dung lượng %(size)d MB, vượt mức %(limit)d MB cho phép; hãy chia thành các tệp nhỏ hơn.",
    "The sheet has more than %(limit)d question rows; split it into several files.":
        "Trang tính có hơn %(limit)d hàng câu hỏi; hãy chia thành nhiều tệp.",
    "cell '%(column)s' holds %(length)d characters, more than the %(limit)d allowed":
        "ô '%(column)s' có %(length)d ký tự, vượt mức %(limit)d ký tự cho phép",
    "new tag": "thẻ mới",
    "none": "không có",
    "the line holds the control character %(code)s, which no question may hold; remove it from the file":
        "dòng này chứa ký tự điều khiển %(code)s, câu hỏi không được chứa ký tự này; hãy xóa nó khỏi tệp",
    "the module chosen above": "học phần đã chọn ở trên",
    "…and %(count)d more categories, not shown.": "…và %(count)d nhóm câu hỏi khác không hiển thị.",
    "…and %(count)d more problems, not shown.": "…và %(count)d lỗi khác không hiển thị.",
    "…and %(count)d more questions, not shown.": "…và %(count)d câu hỏi khác không hiển thị.",
    "…and %(count)d more warnings, not shown.": "…và %(count)d cảnh báo khác không hiển thị.",
}
