class Copy {
    void copy(ClipboardManager cm, String orderId) {
        cm.setPrimaryClip(ClipData.newPlainText("order", orderId));
    }
}
