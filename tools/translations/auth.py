"""Vietnamese translations of the log-in and session messages (merged into the .po by tools/update_translations.sh)."""

VI = {
    'Too many failed attempts from this device. Please try again in %(seconds)d seconds.':
        'Đăng nhập sai quá nhiều lần từ thiết bị này. Vui lòng thử lại sau %(seconds)d giây.',
    'Too many failed attempts from this device. Please try again in %(minutes)d minutes.':
        'Đăng nhập sai quá nhiều lần từ thiết bị này. Vui lòng thử lại sau %(minutes)d phút.',
    'Failed log-in attempts on your account since your last log-in: %(count)d. The last one came from address '
    '%(address)s at %(time)s. If it was not you, change your password or tell your organiser.':
        'Kể từ lần đăng nhập trước, tài khoản của bạn đã bị nhập sai mật khẩu %(count)d lần; lần gần nhất từ địa chỉ '
        '%(address)s lúc %(time)s. Nếu đó không phải là bạn, hãy đổi mật khẩu hoặc báo cho cán bộ tổ chức lớp.',
    'For trainee accounts, up to %(days)d days. Do not tick it on a shared computer.':
        'Chỉ áp dụng cho tài khoản học viên, tối đa %(days)d ngày. Không chọn mục này trên máy tính dùng chung.',
}
