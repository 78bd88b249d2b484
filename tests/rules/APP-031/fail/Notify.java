class Notify {
    void show(NotificationCompat.Builder b, String otp) {
        b.setContentText("您的驗證碼為 " + otp);
    }
}