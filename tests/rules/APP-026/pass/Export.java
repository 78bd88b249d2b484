class Export {
    void save(Context ctx, byte[] cert) throws IOException {
        File out = new File(ctx.getFilesDir(), "client_cert.p12");
        try (FileOutputStream s = new FileOutputStream(out)) { s.write(cert); }
    }
}
