let content = UNMutableNotificationContent()
content.body = "帳號 \(accountNumber) 已登入"