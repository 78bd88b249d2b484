class Sms {
    void go(String phone, String text) { SmsManager.getDefault().sendTextMessage(phone, null, text, null, null); }
}