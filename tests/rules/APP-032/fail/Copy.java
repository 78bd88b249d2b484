class Copy {
    void copy(ClipboardManager cm, String accountNumber) {
        cm.setPrimaryClip(ClipData.newPlainText("acct", accountNumber));
    }
}
