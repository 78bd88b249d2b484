class Checksum {
    String fileSha(byte[] data) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return hex(md.digest(data));
    }
    String etag(byte[] body) throws Exception {
        return hex(MessageDigest.getInstance("MD5").digest(body));
    }
}