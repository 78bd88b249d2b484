object Crypto {
    private val keySpec = SecretKeySpec("k9Xv2Lq7Rt4Wm8Zp".toByteArray(), "AES")
}