class Verifier implements HostnameVerifier {
    public boolean verify(String hostname, SSLSession session) { return true; }
}