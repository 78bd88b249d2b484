fun copy(cm: ClipboardManager, accountNumber: String) {
    val clip = ClipData.newPlainText("acct", accountNumber)
    clip.description.extras = PersistableBundle().apply { putBoolean(ClipDescription.EXTRA_IS_SENSITIVE, true) }
    cm.setPrimaryClip(clip)
}
