class Iv {
    IvParameterSpec iv = new IvParameterSpec("1234567890abcdef".getBytes());
}