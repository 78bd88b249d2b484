class RootCheck {
    boolean hasSu() throws Exception { return Runtime.getRuntime().exec(new String[]{"which", "su"}).waitFor() == 0; }
}