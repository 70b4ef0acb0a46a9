"""Vietnamese translations of the certificate downloads, settings page, images and signing certificate (issue 10)."""

VI = {
    '%(field)s is longer than %(max)d characters.': '%(field)s dài quá %(max)d ký tự.',
    'An image is stored. Choose a file to replace it.': 'Đã có ảnh. Chọn tệp khác để thay.',
    'Certificate number': 'Số hiệu chứng chỉ',
    'Certificate number pattern': 'Mẫu số hiệu chứng chỉ',
    'Certificate settings': 'Thiết lập chứng chỉ',
    'Certificates': 'Chứng chỉ',
    'Choose the PKCS#12 file (.p12 or .pfx).': 'Hãy chọn tệp PKCS#12 (.p12 hoặc .pfx).',
    'Colour': 'Màu chủ đạo',
    'Digital signature of the PDFs': 'Chữ ký số trên tệp PDF',
    'Download': 'Tải về',
    'For a digital credential wallet': 'Dùng cho ví chứng chỉ số',
    'Downloaded PDFs are signed (PAdES) with this certificate:':
        'Tệp PDF tải về được ký số (PAdES) bằng chứng thư số sau:',
    'Expired on %(day)s': 'Hết hiệu lực từ ngày %(day)s',
    'Images': 'Hình ảnh',
    'Issued on': 'Ngày cấp',
    'Issuer': 'Tổ chức cấp chứng thư',
    "Letters without marks, digits, . _ or -. Empty: the body's short name or initials.":
        'Chữ cái không dấu, chữ số, dấu . _ hoặc -. Để trống: dùng tên viết tắt hoặc chữ cái đầu của tên đơn vị.',
    'Logo': 'Biểu trưng (logo)',
    'My certificates': 'Chứng chỉ của tôi',
    'No longer downloadable': 'Không còn tải được',
    'No signing certificate is stored.': 'Chưa lưu chứng thư số nào.',
    "No signing certificate is stored: PDFs are not digitally signed. Upload the body's PKCS#12 file (.p12 or .pfx) "
    "to sign them; its password is used once to check it and is not kept.":
        'Chưa có chứng thư số: tệp PDF không được ký số. Tải lên tệp PKCS#12 (.p12 hoặc .pfx) của đơn vị để ký; '
        'mật khẩu chỉ dùng một lần để kiểm tra tệp và không được lưu lại.',
    'Numbering': 'Đánh số',
    'Only PNG and JPEG images are accepted.': 'Chỉ nhận ảnh PNG hoặc JPEG.',
    'Only RSA, elliptic-curve and Ed25519 keys can sign PDFs.':
        'Chỉ khóa RSA, khóa đường cong elliptic và Ed25519 mới ký được PDF.',
    'Organisation code ({ORG})': 'Mã đơn vị ({ORG})',
    'PDF': 'PDF',
    'PKCS#12 file (.p12 or .pfx)': 'Tệp PKCS#12 (.p12 hoặc .pfx)',
    'PNG or JPEG, at most 2 MB. Transparent parts print as white; the seal is printed over the signature like ink.':
        'Ảnh PNG hoặc JPEG, tối đa 2 MB. Phần trong suốt được in thành màu trắng; con dấu được in chồng lên chữ ký '
        'như mực dấu thật.',
    'Password of the file': 'Mật khẩu của tệp',
    'Place of issue': 'Nơi cấp',
    'Placeholders: {ORG} the organisation code, {YYYY} or {YY} the year, {SEQ} or {SEQ:05} the sequence (with '
    'leading zeros). Example: {ORG}-{YYYY}-{SEQ:05}.':
        'Các ô thay thế: {ORG} mã đơn vị, {YYYY} hoặc {YY} năm, {SEQ} hoặc {SEQ:05} số thứ tự (thêm số 0 ở đầu). '
        'Ví dụ: {ORG}-{YYYY}-{SEQ:05}.',
    'Preview a sample certificate (PDF)': 'Xem thử một chứng chỉ mẫu (PDF)',
    'Printed before the date, e.g. Tiền Giang, ngày 02 tháng 11 năm 2021.':
        'In trước ngày cấp, ví dụ: Tiền Giang, ngày 02 tháng 11 năm 2021.',
    'Register entry': 'Số vào sổ',
    'Register entry pattern': 'Mẫu số vào sổ',
    'Remove the logo': 'Xóa biểu trưng',
    'Remove the seal image': 'Xóa ảnh con dấu',
    'Remove the signature image': 'Xóa ảnh chữ ký',
    'Remove the signing certificate': 'Xóa chứng thư số',
    'Replace the signing certificate': 'Thay chứng thư số',
    'Replaced': 'Đã được thay thế',
    'Revoked': 'Đã thu hồi',
    'Save the settings': 'Lưu thiết lập',
    'Seal': 'Con dấu',
    'Signature': 'Chữ ký',
    'Signer and place': 'Người ký và nơi cấp',
    "Signer's name": 'Họ tên người ký',
    "Signer's title": 'Chức vụ người ký',
    'Subject': 'Chủ thể',
    'The PDF of certificate %(number)s could not be reproduced exactly as it was issued, so it is not handed out. '
    'The administrators have been told.':
        'Không tạo lại được tệp PDF của chứng chỉ %(number)s đúng như khi cấp nên hệ thống không cung cấp tệp này. '
        'Quản trị viên đã được báo.',
    'The certificate is valid only from %(start)s to %(end)s.':
        'Chứng thư số chỉ có hiệu lực từ %(start)s đến %(end)s.',
    'The certificate settings have been saved. Certificates already issued keep what they were issued with.':
        'Đã lưu thiết lập chứng chỉ. Các chứng chỉ đã cấp vẫn giữ nguyên nội dung như lúc cấp.',
    'The colour must be written as # and six hexadecimal digits, e.g. #1f4e79.':
        'Màu phải viết dạng # và sáu chữ số hệ mười sáu, ví dụ #1f4e79.',
    'The file is empty.': 'Tệp trống.',
    'The file is larger than %(limit)s KB: it is not a signing certificate.':
        'Tệp lớn hơn %(limit)s KB: đây không phải là chứng thư số.',
    'The file is not a PKCS#12 (.p12 or .pfx) file, or the password is wrong.':
        'Tệp không phải là tệp PKCS#12 (.p12 hoặc .pfx), hoặc mật khẩu không đúng.',
    'The file is not a readable PNG or JPEG image.': 'Tệp không phải là ảnh PNG hoặc JPEG đọc được.',
    'The file must hold both the private key and its certificate.':
        'Tệp phải chứa cả khóa bí mật và chứng thư số tương ứng.',
    'The image has more than %(limit)s million pixels.': 'Ảnh có hơn %(limit)s triệu điểm ảnh.',
    'The image is larger than %(limit)s MB.': 'Ảnh lớn hơn %(limit)s MB.',
    'The image is smaller than %(limit)s pixels on a side.': 'Ảnh có cạnh nhỏ hơn %(limit)s điểm ảnh.',
    'The organisation code may hold up to 16 letters (without marks), digits, . _ or -.':
        'Mã đơn vị gồm tối đa 16 ký tự: chữ cái không dấu, chữ số, dấu . _ hoặc -.',
    'The place of issue': 'Nơi cấp',
    'The private key does not belong to the certificate.': 'Khóa bí mật không khớp với chứng thư số.',
    'The register entry (số vào sổ), with the same placeholders. Example: {SEQ}/{YYYY}.':
        'Số vào sổ cấp chứng chỉ, dùng cùng các ô thay thế. Ví dụ: {SEQ}/{YYYY}.',
    'The register pattern': 'Mẫu số vào sổ',
    "The signer's name": 'Họ tên người ký',
    "The signer's title": 'Chức vụ người ký',
    'The signing certificate has been removed. Downloaded PDFs are no longer signed.':
        'Đã xóa chứng thư số. Tệp PDF tải về sẽ không còn được ký số.',
    'The signing certificate of %(subject)s is stored. Downloaded PDFs are now signed.':
        'Đã lưu chứng thư số của %(subject)s. Từ nay tệp PDF tải về được ký số.',
    "The stored signing certificate cannot be opened (the application's secret key has changed). Upload it again.":
        'Không mở được chứng thư số đã lưu (khóa bí mật của ứng dụng đã thay đổi). Hãy tải lên lại.',
    'These settings apply to certificates issued from now on. A certificate already issued keeps the facts and '
    'images it was issued with.':
        'Thiết lập này áp dụng cho các chứng chỉ cấp từ nay về sau. Chứng chỉ đã cấp giữ nguyên nội dung và hình ảnh '
        'như lúc cấp.',
    'Upload the signing certificate': 'Tải lên chứng thư số',
    'Use | to break it into lines, e.g. KT. GIÁM ĐỐC | PHÓ GIÁM ĐỐC.':
        'Dùng dấu | để xuống dòng, ví dụ: KT. GIÁM ĐỐC | PHÓ GIÁM ĐỐC.',
    'You have no certificate yet. A certificate is issued when you pass the end-of-course test of your class.':
        'Bạn chưa có chứng chỉ nào. Chứng chỉ được cấp khi bạn đạt bài kiểm tra cuối khóa của lớp.',
    'by %(number)s': 'bằng chứng chỉ %(number)s',
    'from %(start)s to %(end)s': 'từ %(start)s đến %(end)s',
    'on %(day)s': 'ngày %(day)s',
    'until %(day)s': 'đến hết ngày %(day)s',
}
