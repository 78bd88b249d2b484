class Notify {
    void show(NotificationCompat.Builder b, String account) {
        b.setContentText("帳號 " + maskAccount(account) + " 已成交");
        b.setContentTitle("成交通知");
    }
}