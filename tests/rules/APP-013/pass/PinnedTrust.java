class PinnedTrust implements X509TrustManager {
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        defaultTm.checkServerTrusted(chain, authType);
        if (!pins.contains(sha256(chain[0].getPublicKey()))) throw new CertificateException("pin mismatch");
    }
}