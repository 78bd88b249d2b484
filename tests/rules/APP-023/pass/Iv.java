class Iv {
    IvParameterSpec fresh() {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        return new IvParameterSpec(iv);
    }
}