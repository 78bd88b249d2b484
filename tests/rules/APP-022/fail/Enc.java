class Enc {
    Cipher c() throws Exception { return Cipher.getInstance("AES/ECB/PKCS5Padding"); }
}