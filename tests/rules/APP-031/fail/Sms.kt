fun send(sms: SmsManager, phone: String, password: String) {
    sms.sendTextMessage(phone, null, "Your new password: $password", null, null)
}