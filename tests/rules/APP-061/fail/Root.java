class Root {
    void run() throws Exception { Process p = Runtime.getRuntime().exec("su"); }
}