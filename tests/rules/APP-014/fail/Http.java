class Http {
    void setup(HttpsURLConnection c) {
        c.setHostnameVerifier(SSLSocketFactory.ALLOW_ALL_HOSTNAME_VERIFIER);
    }
}