class Login {
    void in(String user, String password) {
        Log.d("Login", "user=" + user + " password=" + password);
    }
}