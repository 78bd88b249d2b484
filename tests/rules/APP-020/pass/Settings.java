class Settings {
    void save(SharedPreferences prefs) {
        prefs.edit().putString("theme", "dark").putBoolean("notifications", true).apply();
    }
}