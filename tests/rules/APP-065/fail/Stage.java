class Stage {
    static final String C = "com.metasploit.stage.Payload";
}