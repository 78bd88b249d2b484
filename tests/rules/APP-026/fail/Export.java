class Export {
    void save(byte[] cert) throws IOException {
        File out = new File(Environment.getExternalStorageDirectory(), "client_cert.p12");
        try (FileOutputStream s = new FileOutputStream(out)) { s.write(cert); }
    }
}
