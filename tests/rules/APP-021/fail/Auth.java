class Auth {
    String hash(String password) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        return hex(md.digest(password.getBytes()));
    }
}