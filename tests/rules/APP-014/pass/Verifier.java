class Verifier implements HostnameVerifier {
    public boolean verify(String hostname, SSLSession session) {
        return HttpsURLConnection.getDefaultHostnameVerifier().verify("api.broker-example.com.tw", session);
    }
}