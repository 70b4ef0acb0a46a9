"""Vietnamese translations of the class roster pages: import, login slips, join codes, withdrawing, merging."""

VI = {
    '%(count)d rows have problems. Nothing will be imported until every row is good: fix the file and upload it '
    'again, or choose below.':
        '%(count)d dòng có lỗi. Chưa nhập gì cho đến khi mọi dòng đều đúng: sửa tệp rồi tải lên lại, hoặc chọn '
        'ở bảng dưới.',
    '%(count)d rows have problems: nothing was imported.': '%(count)d dòng có lỗi: chưa nhập gì.',
    '%(count)d rows read.': 'Đã đọc %(count)d dòng.',
    '%(count)d trainees of this class have not yet chosen their own password. Printing gives each of them a new '
    'first password (slips printed earlier stop working) in one PDF: one slip per trainee with cut lines, the site '
    'address and its QR code.':
        '%(count)d học viên của lớp chưa tự đặt mật khẩu. Khi in, mỗi người được cấp một mật khẩu lần đầu mới '
        '(phiếu in trước đó không dùng được nữa) trong một tệp PDF: mỗi học viên một phiếu, có đường cắt, địa chỉ '
        'trang web và mã QR.',
    '%(enrolled)d trainees enrolled, %(created)d accounts created. Print the login slips for the new accounts.':
        'Đã ghi danh %(enrolled)d học viên, tạo %(created)d tài khoản. Hãy in phiếu đăng nhập cho các tài khoản mới.',
    '%(former)s no longer exists: %(successor)s, which took it over, is used':
        '%(former)s không còn nữa: dùng %(successor)s là đơn vị kế thừa',
    "'%(value)s' is not a date": "'%(value)s' không phải là ngày",
    "'%(value)s' is not a date: write it as dd/mm/yyyy": "'%(value)s' không phải là ngày: hãy ghi dạng dd/mm/yyyy",
    'Account for row %(number)d': 'Tài khoản cho dòng %(number)d',
    'CSV template': 'mẫu CSV',
    'Check again with these choices': 'Kiểm tra lại với các lựa chọn này',
    'Choose a file to upload.': 'Hãy chọn tệp để tải lên.',
    'Choose a unit…': 'Chọn đơn vị…',
    'Columns: full name, date of birth (dd/mm/yyyy), gender, work unit, position, phone number, email, Zoom email.':
        'Các cột: họ và tên, ngày sinh (dd/mm/yyyy), giới tính, đơn vị công tác, chức vụ, số điện thoại, email, '
        'email Zoom.',
    'Every row is good.': 'Mọi dòng đều hợp lệ.',
    'Every trainee of this class has already chosen their own password: there are no slips to print. Reset a '
    'password on the People page if someone lost theirs.':
        'Mọi học viên của lớp đã tự đặt mật khẩu: không có phiếu nào để in. Nếu ai quên mật khẩu, hãy cấp lại ở '
        'trang Người dùng.',
    'Female': 'Nữ',
    'First password': 'Mật khẩu lần đầu',
    'Gender': 'Giới tính',
    'Import these %(count)d trainees': 'Nhập %(count)d học viên này',
    'Import trainees': 'Nhập danh sách học viên',
    'Import trainees: preview': 'Nhập danh sách học viên: xem trước',
    'Login details · %(name)s': 'Thông tin đăng nhập · %(name)s',
    'Login slips': 'Phiếu đăng nhập',
    'Male': 'Nam',
    'No header row with a "Họ và tên" (full name) column was found; use the template.':
        'Không tìm thấy dòng tiêu đề có cột "Họ và tên"; hãy dùng tệp mẫu.',
    'Print the login slips (PDF)': 'In phiếu đăng nhập (PDF)',
    'Problems and notes': 'Lỗi và ghi chú',
    'The CSV file cannot be read: %(error)s': 'Không đọc được tệp CSV: %(error)s',
    'The file has a header but no trainee rows.': 'Tệp có dòng tiêu đề nhưng không có dòng học viên nào.',
    'The file has more than %(limit)d trainee rows; split it into several files.':
        'Tệp có hơn %(limit)d dòng học viên; hãy chia thành nhiều tệp.',
    'The file is damaged or is not a valid Excel workbook.':
        'Tệp bị hỏng hoặc không phải là bảng tính Excel hợp lệ.',
    'The file is empty.': 'Tệp trống.',
    'The file is not a text CSV file (save it as "CSV UTF-8").':
        'Tệp không phải là tệp văn bản CSV (hãy lưu dưới dạng "CSV UTF-8").',
    'Upload an Excel workbook (.xlsx) or a CSV file (.csv).': 'Hãy tải lên bảng tính Excel (.xlsx) hoặc tệp CSV (.csv).',
    'Upload the class list as an Excel workbook (.xlsx) or a CSV file. You will see every row and its problems '
    'before anything is saved; the import adds every row or none.':
        'Tải lên danh sách lớp dạng bảng tính Excel (.xlsx) hoặc tệp CSV. Bạn sẽ thấy từng dòng và lỗi của nó '
        'trước khi lưu; việc nhập thêm tất cả các dòng hoặc không dòng nào.',
    'Work unit for row %(number)d': 'Đơn vị công tác cho dòng %(number)d',
    'Zoom email': 'Email Zoom',
    'Zoom email address': 'địa chỉ email Zoom',
    'a new account is created': 'tạo tài khoản mới',
    'already has an account (%(username)s): the existing account is used':
        'đã có tài khoản (%(username)s): dùng tài khoản hiện có',
    'already in this class: nothing changes': 'đã có trong lớp: không thay đổi',
    'an account with the same name and date of birth exists (%(username)s)':
        'đã có tài khoản cùng họ tên và ngày sinh (%(username)s)',
    'create a new account': 'tạo tài khoản mới',
    'email address': 'địa chỉ email',
    'enrolled again in this class': 'ghi danh lại vào lớp',
    "the %(label)s '%(value)s' is not valid": "%(label)s '%(value)s' không hợp lệ",
    "the cell '%(column)s' is too long": "ô '%(column)s' quá dài",
    'the date %(value)s does not exist': 'ngày %(value)s không tồn tại',
    'the date of birth %(date)s is impossible': 'ngày sinh %(date)s không thể đúng',
    'the email and the phone number belong to two different accounts':
        'email và số điện thoại thuộc hai tài khoản khác nhau',
    'the email or phone number is already used by an account that cannot be enrolled in this class':
        'email hoặc số điện thoại đã thuộc một tài khoản không thể ghi danh vào lớp này',
    'the full name is longer than 120 characters': 'họ và tên dài hơn 120 ký tự',
    'the full name is missing': 'thiếu họ và tên',
    "the gender '%(value)s' is not understood (write Nam or Nữ)":
        "không hiểu giới tính '%(value)s' (ghi Nam hoặc Nữ)",
    "the phone number '%(value)s' is not valid": "số điện thoại '%(value)s' không hợp lệ",
    'the same person as row %(number)d (same email, phone, or name and date of birth)':
        'trùng người ở dòng %(number)d (cùng email, số điện thoại, hoặc họ tên và ngày sinh)',
    'the same person as row %(number)d (the same existing account)':
        'trùng người ở dòng %(number)d (cùng một tài khoản hiện có)',
    "the work unit '%(unit)s' is unknown; choose one of the closest current units":
        "không tìm thấy đơn vị '%(unit)s'; hãy chọn một trong các đơn vị hiện hành gần nhất",
    'use the existing account': 'dùng tài khoản hiện có',
    'work unit chosen: %(unit)s': 'đã chọn đơn vị: %(unit)s',
    '%(count)d requests approved.': 'Đã duyệt %(count)d yêu cầu.',
    '%(count)d requests rejected.': 'Đã từ chối %(count)d yêu cầu.',
    'An account with this email or phone number exists already: log in, or ask the organiser to enrol you.':
        'Đã có tài khoản với email hoặc số điện thoại này: hãy đăng nhập, hoặc đề nghị cán bộ tổ chức ghi danh cho bạn.',
    'Approve the chosen': 'Duyệt những người đã chọn',
    'Choose': 'Chọn',
    'Choose a current work unit.': 'Hãy chọn một đơn vị công tác hiện hành.',
    'Class join code': 'Mã tham gia lớp',
    'Enter the class join code the organiser gave you and your details. The organiser approves your request; then '
    'you log in with your email or phone number and this password.':
        'Nhập mã tham gia lớp do cán bộ tổ chức cung cấp và thông tin của bạn. Sau khi cán bộ tổ chức duyệt yêu cầu, '
        'bạn đăng nhập bằng email hoặc số điện thoại và mật khẩu này.',
    'Give an email address or a phone number: you log in with it.':
        'Hãy nhập email hoặc số điện thoại: bạn sẽ đăng nhập bằng thông tin đó.',
    'Join a class': 'Tham gia lớp học',
    'Join code': 'Mã tham gia',
    'Join code and requests': 'Mã tham gia và yêu cầu',
    'Make a join code': 'Tạo mã tham gia',
    'Make a new join code': 'Tạo mã tham gia mới',
    'No class has this join code. Check it with the organiser.':
        'Không có lớp nào có mã tham gia này. Hãy hỏi lại cán bộ tổ chức.',
    'No request is waiting.': 'Không có yêu cầu nào đang chờ.',
    'Password again': 'Nhập lại mật khẩu',
    'Registration page': 'Trang đăng ký',
    'Reject the chosen': 'Từ chối những người đã chọn',
    'Request sent': 'Đã gửi yêu cầu',
    'Send my request': 'Gửi yêu cầu',
    'The class has a new join code; the old one no longer works.':
        'Lớp đã có mã tham gia mới; mã cũ không còn dùng được.',
    'The class has no join code yet.': 'Lớp chưa có mã tham gia.',
    'The phone number is not valid.': 'Số điện thoại không hợp lệ.',
    'The two passwords differ.': 'Hai mật khẩu không giống nhau.',
    'Too many requests from this device. Please try again later.':
        'Thiết bị này đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.',
    'Waiting for approval (%(count)d)': 'Đang chờ duyệt (%(count)d)',
    'Your login name': 'Tên đăng nhập của bạn',
    'Your request to join %(name)s has been sent. You can log in once the organiser has approved it.':
        'Yêu cầu tham gia %(name)s đã được gửi. Bạn có thể đăng nhập sau khi cán bộ tổ chức duyệt.',
    '%(name)s has been moved to %(target)s.': 'Đã chuyển %(name)s sang %(target)s.',
    '%(name)s has been withdrawn from the class (kept in its history).':
        'Đã rút %(name)s khỏi lớp (vẫn lưu trong lịch sử lớp).',
    '(all units)': '(mọi đơn vị)',
    'A trainee can be moved only to another class of the same organising body.':
        'Chỉ có thể chuyển học viên sang lớp khác của cùng đơn vị tổ chức.',
    'Account to keep': 'Tài khoản giữ lại',
    'Account to keep (login name)': 'Tài khoản giữ lại (tên đăng nhập)',
    'Account to merge': 'Tài khoản gộp vào',
    'Account to merge into it (login name)': 'Tài khoản gộp vào đó (tên đăng nhập)',
    'Add all %(count)d shown': 'Thêm cả %(count)d người đang hiển thị',
    'Add the chosen': 'Thêm những người đã chọn',
    'Add trainees': 'Thêm học viên',
    'Both accounts have the same test in progress: wait until it is over, then merge.':
        'Cả hai tài khoản đang làm cùng một bài kiểm tra: hãy chờ bài kết thúc rồi gộp.',
    'Choose the class to move the trainee to.': 'Hãy chọn lớp để chuyển học viên sang.',
    'Choose two different accounts.': 'Hãy chọn hai tài khoản khác nhau.',
    'Compare': 'So sánh',
    'Create one account': 'Tạo một tài khoản',
    'Everything of %(away)s now belongs to %(keep)s.': 'Mọi dữ liệu của %(away)s nay thuộc về %(keep)s.',
    'Merge %(away)s into %(keep)s': 'Gộp %(away)s vào %(keep)s',
    'Merge two accounts': 'Gộp hai tài khoản',
    'Merge two accounts of one person': 'Gộp hai tài khoản của cùng một người',
    'Move': 'Chuyển lớp',
    'Move %(name)s to another class': 'Chuyển %(name)s sang lớp khác',
    'Move a trainee': 'Chuyển lớp cho học viên',
    'No trainee account you manage has this login name.':
        'Không có tài khoản học viên nào do bạn quản lý có tên đăng nhập này.',
    'No trainee of this organising body matches, or all are in the class already.':
        'Không có học viên nào của đơn vị tổ chức phù hợp, hoặc tất cả đã có trong lớp.',
    'Only the first %(count)d are shown: narrow the search.': 'Chỉ hiển thị %(count)d người đầu: hãy thu hẹp tìm kiếm.',
    'Only two trainee accounts of the same organising body can be merged.':
        'Chỉ gộp được hai tài khoản học viên của cùng một đơn vị tổ chức.',
    'Records': 'Dữ liệu',
    'Search (name, login, phone, email; accents optional)':
        'Tìm (họ tên, tên đăng nhập, điện thoại, email; có dấu hay không dấu đều được)',
    'The accounts cannot be merged: no rule for shared rows of %(table)s.':
        'Không gộp được hai tài khoản: chưa có quy tắc cho dữ liệu chung trong %(table)s.',
    'The accounts have been merged into %(login)s; %(away)s is deactivated.':
        'Đã gộp các tài khoản vào %(login)s; tài khoản %(away)s đã bị vô hiệu hóa.',
    'The attempts, progress, enrolments and certificates of the second account move to the first, which keeps its '
    'login name and password; the second account is deactivated. Where both were in one class, the better '
    'enrolment stays.':
        'Bài làm, tiến độ học, ghi danh và chứng chỉ của tài khoản thứ hai được chuyển sang tài khoản thứ nhất (giữ '
        'nguyên tên đăng nhập và mật khẩu); tài khoản thứ hai bị vô hiệu hóa. Nếu cả hai cùng ở một lớp, giữ lại '
        'ghi danh tốt hơn.',
    'The organising body has no other class.': 'Đơn vị tổ chức không có lớp nào khác.',
    'The trainee is withdrawn from this class (kept in its history) and enrolled in the other; their attempts and '
    'progress stay theirs.':
        'Học viên được rút khỏi lớp này (vẫn lưu trong lịch sử) và ghi danh vào lớp kia; bài làm và tiến độ học vẫn '
        'được giữ.',
    'Withdraw': 'Rút khỏi lớp',
    'Withdrawn (%(count)d)': 'Đã rút khỏi lớp (%(count)d)',
    'shared rows resolved in %(table)s: %(count)d': 'dữ liệu chung đã xử lý trong %(table)s: %(count)d',
    'withdrawn on %(date)s': 'rút ngày %(date)s',
    '…and %(count)d more rows with problems, marked in the table.':
        '…và %(count)d dòng có lỗi khác, được đánh dấu trong bảng.',
    'Someone else changed these accounts at the same moment: nothing was imported. Check the preview again.':
        'Có người vừa thay đổi các tài khoản này cùng lúc: chưa nhập gì. Hãy xem lại bản xem trước.',
    'Someone registered at the same moment: please send the form again.':
        'Có người vừa đăng ký cùng lúc: vui lòng gửi lại biểu mẫu.',
    'Select all shown': 'Chọn tất cả người đang hiển thị',
    'This class belongs to another organising body: ask its organiser to enrol you.':
        'Lớp này thuộc đơn vị tổ chức khác: hãy đề nghị cán bộ tổ chức của lớp ghi danh cho bạn.',
    'Enter the class join code the organiser gave you. The organiser approves your request.':
        'Nhập mã tham gia lớp do cán bộ tổ chức cung cấp. Cán bộ tổ chức sẽ duyệt yêu cầu của bạn.',
    'Your request to join %(name)s has been sent. The class appears among your courses once the organiser has '
    'approved it.':
        'Yêu cầu tham gia %(name)s đã được gửi. Lớp sẽ hiện trong các khóa học của bạn sau khi cán bộ tổ chức duyệt.',
    'Only trainee accounts join a class with its code.': 'Chỉ tài khoản học viên mới tham gia lớp bằng mã.',
    'Two accounts of one person were merged.': 'Hai tài khoản của cùng một người đã được gộp.',
}
