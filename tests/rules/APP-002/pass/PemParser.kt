object PemParser {
    const val HEADER = "-----BEGIN PRIVATE KEY-----"
    const val FOOTER = "-----END PRIVATE KEY-----"
    fun strip(pem: String) = pem.removePrefix(HEADER).removeSuffix(FOOTER)
}