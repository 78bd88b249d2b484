class Validation {
    static final String PASSWORD_REGEX = "^(?=.*[A-Z])(?=.*[0-9]).{8,}$";
    static final String PASSWORD_KEY = "password";
    static final String TOKEN_HEADER = "Authorization";
    private String password = "";
    void set(String p) { password = p; }
}