"""Vietnamese translations of certificate issuing, numbering and public verification messages."""

VI = {
    '%(field)s cannot be corrected on a certificate.': 'Không thể sửa mục %(field)s trên chứng chỉ.',
    '%(name)s is not eligible for a certificate: %(reasons)s.':
        '%(name)s chưa đủ điều kiện cấp chứng chỉ: %(reasons)s.',
    '%(name)s is not enrolled in this class.': '%(name)s không có tên trong lớp này.',
    'no longer enrolled in this class': 'không còn có tên trong lớp',
    '%(percent)s < %(mark)s': '%(percent)s < %(mark)s',
    '%(what)s has an unknown placeholder {%(name)s}; use {ORG}, {YYYY}, {YY}, {SEQ} or {SEQ:05}.':
        '%(what)s có mã thay thế không hợp lệ {%(name)s}; hãy dùng {ORG}, {YYYY}, {YY}, {SEQ} hoặc {SEQ:05}.',
    '%(what)s is empty.': '%(what)s đang để trống.',
    '%(what)s makes numbers longer than %(max)d characters.': '%(what)s tạo ra số dài quá %(max)d ký tự.',
    '%(what)s may contain only letters, digits, spaces and . / _ - : # ( ) besides its placeholders.':
        'Ngoài các mã thay thế, %(what)s chỉ được chứa chữ, số, dấu cách và các ký tự . / _ - : # ( ).',
    '%(what)s must contain the sequence exactly once, as {SEQ} or {SEQ:05}.':
        '%(what)s phải chứa số thứ tự đúng một lần, dạng {SEQ} hoặc {SEQ:05}.',
    'Certificate number': 'Số hiệu chứng chỉ',
    'Certificate verification': 'Kiểm tra chứng chỉ',
    'Check a certificate': 'Kiểm tra một chứng chỉ',
    'Check another certificate by its number': 'Kiểm tra chứng chỉ khác theo số hiệu',
    'EXPIRED': 'HẾT HIỆU LỰC',
    'Give a reason to issue anyway.': 'Hãy ghi lý do nếu vẫn cấp.',
    'Give the reason for re-issuing the certificate.': 'Hãy ghi lý do cấp lại chứng chỉ.',
    'Give the reason for revoking the certificate.': 'Hãy ghi lý do thu hồi chứng chỉ.',
    'Holder': 'Người được cấp',
    "Holder's full name": 'Họ và tên người được cấp',
    'Issued on': 'Ngày cấp',
    'Issuing body': 'Đơn vị cấp',
    'Length': 'Thời lượng',
    'Length in hours': 'Thời lượng (giờ)',
    'NOT FOUND': 'KHÔNG TÌM THẤY',
    "No certificate has this number with this holder's name. Check both against the printed certificate.":
        'Không có chứng chỉ nào mang số hiệu này với họ tên này. Hãy đối chiếu cả hai với bản in của chứng chỉ.',
    'No certificate has this verification code. The code may be mistyped, or the certificate is not genuine.':
        'Không có chứng chỉ nào mang mã kiểm tra này. Mã có thể bị gõ sai, hoặc chứng chỉ không phải bản thật.',
    'Only a current certificate can be re-issued.': 'Chỉ cấp lại được chứng chỉ đang có hiệu lực.',
    'Please wait a moment': 'Vui lòng chờ một lát',
    'REVOKED': 'ĐÃ BỊ THU HỒI',
    'SUPERSEDED': 'ĐÃ ĐƯỢC THAY THẾ',
    'See the new certificate %(number)s': 'Xem chứng chỉ mới số %(number)s',
    "The certificate number is already used; check the body's number pattern.":
        'Số hiệu chứng chỉ này đã được dùng; hãy kiểm tra mẫu số hiệu của đơn vị.',
    'The corrected value of %(field)s is empty or too long.': 'Giá trị sửa của mục %(field)s đang trống hoặc quá dài.',
    'The corrected value of %(field)s is not a date.': 'Giá trị sửa của mục %(field)s không phải là ngày hợp lệ.',
    'The digital signature in the scanned code does NOT match this record: the printed certificate may have been '
    'altered.':
        'Chữ ký số trong mã vừa quét KHÔNG khớp với hồ sơ này: bản in của chứng chỉ có thể đã bị sửa đổi.',
    'The digital signature in the scanned code matches this record.': 'Chữ ký số trong mã vừa quét khớp với hồ sơ này.',
    'The number of hours must be a whole number above zero.': 'Số giờ phải là số nguyên lớn hơn 0.',
    'The number pattern': 'Mẫu số hiệu',
    'The register pattern': 'Mẫu số vào sổ',
    'This certificate expired on %(date)s.': 'Chứng chỉ này đã hết hiệu lực từ ngày %(date)s.',
    'This certificate is already revoked.': 'Chứng chỉ này đã bị thu hồi.',
    'This certificate was issued by %(body)s and is valid.': 'Chứng chỉ này do %(body)s cấp và đang có hiệu lực.',
    'This certificate was replaced by a corrected one and is no longer valid.':
        'Chứng chỉ này đã được thay thế bằng bản cấp lại đã đính chính và không còn hiệu lực.',
    'This certificate was replaced by a new one; revoke the new one instead.':
        'Chứng chỉ này đã được thay bằng chứng chỉ mới; hãy thu hồi chứng chỉ mới.',
    'This certificate was revoked on %(date)s.': 'Chứng chỉ này đã bị thu hồi ngày %(date)s.',
    "This limit protects holders' data from automated lookups.":
        'Giới hạn này bảo vệ thông tin của người được cấp trước việc tra cứu tự động.',
    "Type the certificate number and the holder's full name as printed. Accents and capital letters do not matter.":
        'Nhập số hiệu chứng chỉ và họ tên người được cấp như trên bản in. Không cần gõ dấu hay chữ hoa.',
    'Unknown way of issuing a certificate.': 'Cách cấp chứng chỉ không hợp lệ.',
    'VALID': 'HỢP LỆ',
    'Valid until': 'Có giá trị đến',
    'Year of birth': 'Năm sinh',
    'You have checked many certificates in a short time. Please wait %(seconds)d seconds and try again.':
        'Bạn đã kiểm tra nhiều chứng chỉ trong thời gian ngắn. Vui lòng chờ %(seconds)d giây rồi thử lại.',
    'no end-of-course test opened for this class': 'lớp chưa mở bài kiểm tra cuối khóa',
    'not yet sat': 'chưa làm bài kiểm tra',
    'test in progress': 'đang làm bài kiểm tra',
    'Place of issue': 'Nơi cấp',
    "Signer's title": 'Chức danh người ký',
    "Signer's name": 'Họ tên người ký',
    'Start date': 'Ngày bắt đầu',
    'End date': 'Ngày kết thúc',
}
