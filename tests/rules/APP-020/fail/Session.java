class Session {
    void save(Context ctx, String token) {
        SharedPreferences prefs = ctx.getSharedPreferences("auth", Context.MODE_PRIVATE);
        prefs.edit().putString("access_token", token).apply();
    }
}