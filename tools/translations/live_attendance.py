"""Vietnamese translations of class sessions, attendance and the Zoom webhook pages (issue 11)."""

VI = {
    '"%(part)s" is not a time of day.': '"%(part)s" không phải là giờ trong ngày.',
    '"%(value)s" is not an email address.': '"%(value)s" không phải là địa chỉ email.',
    '%(count)d sessions have been added.': 'Đã thêm %(count)d buổi học.',
    '%(minutes)d min Zoom': '%(minutes)d phút Zoom',
    '(no name)': '(không có tên)',
    '(roll call confirmed)': '(đã điểm danh)',
    'A series makes at most %(count)d sessions.': 'Một loạt tạo được tối đa %(count)d buổi học.',
    'A series spans at most %(days)d days.': 'Một loạt buổi học kéo dài tối đa %(days)d ngày.',
    'A session lasts at most %(hours)d hours.': 'Một buổi học dài tối đa %(hours)d giờ.',
    'A token is set.': 'Đã đặt mã bí mật.',
    "A trainer's mark decides a session (present and late count the whole session, absent nothing, excused leaves "
    "it out); without a mark a roll-call confirmation counts the whole session, otherwise the minutes in the Zoom "
    "meeting count. Only sessions that have ended are counted.":
        'Đánh dấu của giảng viên quyết định buổi học (có mặt và đi muộn được tính cả buổi, vắng không được tính, '
        'vắng có phép không đưa vào tổng); khi không có đánh dấu, xác nhận điểm danh được tính cả buổi, nếu không '
        'thì tính số phút có mặt trong cuộc họp Zoom. Chỉ tính các buổi học đã kết thúc.',
    'Absent': 'Vắng',
    'Add a series': 'Thêm một loạt buổi học',
    'Add one session': 'Thêm một buổi học',
    'Add the session': 'Thêm buổi học',
    'Add the sessions': 'Thêm các buổi học',
    'All sessions (%(count)d)': 'Tất cả các buổi học (%(count)d)',
    'Attendance': 'Điểm danh',
    'Attendance of %(name)s': 'Điểm danh: %(name)s',
    'Attendance rule': 'Yêu cầu chuyên cần',
    'Changes of marks': 'Lịch sử thay đổi điểm danh',
    'Choose an organising body.': 'Hãy chọn đơn vị tổ chức.',
    'Choose present, late, excused or absent.': 'Hãy chọn có mặt, đi muộn, vắng có phép hoặc vắng.',
    'Choose who each participant is: their time in the meeting then counts for that trainee. Names are never '
    'matched automatically.':
        'Hãy chọn học viên tương ứng với từng người tham gia: thời gian họ có mặt trong cuộc họp sẽ được tính cho '
        'học viên đó. Hệ thống không bao giờ tự ghép theo tên.',
    'Day': 'Ngày',
    'Day (dd/mm/yyyy)': 'Ngày (dd/mm/yyyy)',
    'Delete': 'Xóa',
    'Download the sheet (Excel)': 'Tải bảng điểm danh (Excel)',
    'Edit the session': 'Sửa buổi học',
    'Ends at (HH:MM)': 'Kết thúc lúc (HH:MM)',
    'Event notification endpoint URL': 'Địa chỉ nhận thông báo sự kiện (Event notification endpoint URL)',
    'Every day from the first to the last, one session per range, e.g. 7:30–11:30, 13:30–17:00.':
        'Mỗi ngày từ ngày đầu đến ngày cuối, mỗi khoảng giờ một buổi, ví dụ 7:30–11:30, 13:30–17:00.',
    'Excused': 'Vắng có phép',
    'Filled in from a zoom.us/j/… link when left empty.': 'Để trống thì lấy từ đường liên kết zoom.us/j/….',
    'Give at least one time range, for example 7:30–11:30, 13:30–17:00.':
        'Hãy nhập ít nhất một khoảng giờ, ví dụ 7:30–11:30, 13:30–17:00.',
    'Join the meeting': 'Vào phòng họp trực tuyến',
    'Keep this address to yourselves: it identifies your organising body.':
        'Không chia sẻ địa chỉ này ra ngoài: nó định danh đơn vị tổ chức của bạn.',
    'Late': 'Đi muộn',
    'Link': 'Liên kết',
    'Manage the sessions': 'Quản lý buổi học',
    'Mark': 'Đánh dấu',
    'Meeting': 'Phòng họp',
    'Meeting link (Zoom, Google Meet, Jitsi or any web address)':
        'Liên kết phòng họp (Zoom, Google Meet, Jitsi hoặc bất kỳ địa chỉ web nào)',
    'Met': 'Đạt',
    'Minimum share of session time (%%)': 'Tỷ lệ thời lượng tham dự tối thiểu (%%)',
    'My classes': 'Lớp của tôi',
    'Next session': 'Buổi học tiếp theo',
    'No mark (Zoom and roll call decide)': 'Không đánh dấu (theo Zoom và điểm danh)',
    'No organising body has the id or short name %(ident)s.': 'Không có đơn vị tổ chức nào có mã hoặc tên viết tắt %(ident)s.',
    'No record': 'Không có dữ liệu',
    'No session is planned.': 'Chưa có buổi học nào được lên lịch.',
    'No session yet.': 'Chưa có buổi học.',
    "No token yet: Zoom's events are refused.": 'Chưa có mã bí mật: các sự kiện từ Zoom đang bị từ chối.',
    'Not met': 'Không đạt',
    'Note': 'Ghi chú',
    'Now counted as': 'Đang được tính là',
    'Only a trainee enrolled in the class can be chosen.': 'Chỉ được chọn học viên đã ghi danh vào lớp.',
    "Paste the Secret Token from the Zoom app's Features page (%(low)d to %(high)d characters, no spaces).":
        'Hãy dán Secret Token từ trang Features của ứng dụng Zoom (từ %(low)d đến %(high)d ký tự, không có dấu cách).',
    'Present': 'Có mặt',
    'Roll call': 'Điểm danh',
    'Roll-call confirmations: %(count)d': 'Số xác nhận điểm danh: %(count)d',
    'Rule': 'Yêu cầu',
    "Rule: present for at least %(percent)d %% of the sessions' time; excused sessions are not counted.":
        'Yêu cầu: tham dự ít nhất %(percent)d %% thời lượng các buổi học; không tính các buổi vắng có phép.',
    'Save the Zoom emails': 'Lưu email Zoom',
    'Save the rule': 'Lưu yêu cầu',
    'Save the token': 'Lưu mã bí mật',
    "Secret Token (from the Zoom app's Features page)": 'Secret Token (trên trang Features của ứng dụng Zoom)',
    'Secret token': 'Mã bí mật',
    'Session now': 'Buổi học đang diễn ra',
    'Session of %(day)s, %(start)s–%(end)s': 'Buổi học ngày %(day)s, %(start)s–%(end)s',
    'Sessions': 'Buổi học',
    'Sessions (%(count)d)': 'Các buổi học (%(count)d)',
    'Sessions of %(name)s': 'Các buổi học: %(name)s',
    'Set the token first, then validate the address in Zoom. The token is stored encrypted and never shown again.':
        'Hãy lưu mã bí mật trước, sau đó xác thực địa chỉ trong Zoom. Mã được lưu dạng mã hóa và không bao giờ hiển '
        'thị lại.',
    'Starts at (HH:MM)': 'Bắt đầu lúc (HH:MM)',
    'Test open now': 'Bài kiểm tra đang mở',
    'The Zoom meeting ID is 9 to 11 digits, for example 812 3456 7890.':
        'Mã cuộc họp Zoom (Meeting ID) gồm 9 đến 11 chữ số, ví dụ 812 3456 7890.',
    'The Zoom secret token has been saved.': 'Đã lưu mã bí mật Zoom.',
    "The address each trainee joins Zoom with; Zoom's attendance is matched by it (or by the account's email).":
        'Địa chỉ email học viên dùng để vào Zoom; dữ liệu tham dự từ Zoom được ghép theo địa chỉ này (hoặc theo '
        'email của tài khoản).',
    'The attendance mark has been saved.': 'Đã lưu đánh dấu điểm danh.',
    'The attendance rule has been saved.': 'Đã lưu yêu cầu chuyên cần.',
    'The email address you join Zoom with': 'Địa chỉ email bạn dùng để vào Zoom',
    'The last day must not be before the first day.': 'Ngày cuối không được trước ngày đầu.',
    'The meeting link has not been given yet.': 'Chưa có liên kết phòng họp.',
    'The meeting link must be a web address starting with http:// or https://.':
        'Liên kết phòng họp phải là địa chỉ web bắt đầu bằng http:// hoặc https://.',
    'The minimum attendance is a whole percentage from 0 to 100.':
        'Tỷ lệ tham dự tối thiểu là số nguyên phần trăm từ 0 đến 100.',
    'The participant now counts for the trainee.': 'Thời gian của người tham gia này nay được tính cho học viên.',
    'The session has been added.': 'Đã thêm buổi học.',
    'The session has been deleted.': 'Đã xóa buổi học.',
    'The session has been saved.': 'Đã lưu buổi học.',
    'The session must end after it starts (%(start)s–%(end)s).':
        'Giờ kết thúc phải sau giờ bắt đầu (%(start)s–%(end)s).',
    "The session's trainer must be one of the class's trainers.":
        'Giảng viên của buổi học phải là một trong các giảng viên của lớp.',
    'The time ranges overlap (%(a)s and %(b)s).': 'Các khoảng giờ bị chồng lên nhau (%(a)s và %(b)s).',
    'This is the trainee': 'Đúng học viên này',
    'Time ranges each day': 'Các khoảng giờ mỗi ngày',
    'Times are in Vietnam time (Asia/Ho_Chi_Minh).': 'Giờ theo giờ Việt Nam (Asia/Ho_Chi_Minh).',
    'Title (optional)': 'Tiêu đề (không bắt buộc)',
    'Two trainees of the class cannot have the same Zoom email (%(email)s).':
        'Hai học viên trong lớp không được dùng cùng một email Zoom (%(email)s).',
    'Write each time range as 7:30–11:30; "%(part)s" is not one.':
        'Hãy viết mỗi khoảng giờ theo dạng 7:30–11:30; "%(part)s" không đúng dạng.',
    'Write the time as HH:MM, for example 7:30 or 13:30.': 'Hãy viết giờ theo dạng HH:MM, ví dụ 7:30 hoặc 13:30.',
    'You are not enrolled in any class yet.': 'Bạn chưa được ghi danh vào lớp nào.',
    'Your Zoom email': 'Email Zoom của bạn',
    'Your attendance': 'Mức độ tham dự của bạn',
    'Your Zoom email has been saved.': 'Đã lưu email Zoom của bạn.',
    "Your attendance is counted from Zoom by this address; leave it empty if you join with your account's email.":
        'Việc tham dự của bạn được tính từ Zoom theo địa chỉ này; để trống nếu bạn vào Zoom bằng email của tài khoản.',
    'Zoom attendance': 'Điểm danh qua Zoom',
    'Zoom attendance for %(name)s': 'Điểm danh qua Zoom của %(name)s',
    'Zoom attendance settings': 'Cài đặt điểm danh qua Zoom',
    'Zoom email': 'Email Zoom',
    'Zoom email of %(name)s': 'Email Zoom của %(name)s',
    'Zoom emails saved (%(count)d changed).': 'Đã lưu email Zoom (%(count)d thay đổi).',
    'Zoom meeting ID (if a Zoom meeting)': 'Mã cuộc họp Zoom (nếu họp qua Zoom)',
    'Zoom meeting ended at %(time)s': 'Cuộc họp Zoom kết thúc lúc %(time)s',
    'Zoom participants not matched to a trainee': 'Người tham gia Zoom chưa ghép được với học viên',
    'Zoom tells the platform who joins and leaves each meeting; attendance is counted from it. In your Zoom app '
    '(Zoom App Marketplace, a webhook-only or general app), add an event subscription with this address and the '
    'events Meeting started, Meeting ended, Participant joined and Participant left.':
        'Zoom báo cho hệ thống ai vào và rời mỗi cuộc họp; việc tham dự được tính từ đó. Trong ứng dụng Zoom của bạn '
        '(Zoom App Marketplace, loại webhook-only hoặc general app), hãy thêm một event subscription với địa chỉ này '
        'và các sự kiện Meeting started, Meeting ended, Participant joined và Participant left.',
    'attendance %(percent)s %(sign)s %(minimum)s': 'chuyên cần %(percent)s %(sign)s %(minimum)s',
    'no session to count yet': 'chưa có buổi học nào để tính',
}
