class Zero {
    IvParameterSpec iv = new IvParameterSpec(new byte[16]);
}