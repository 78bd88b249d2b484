package tw.example.securities;

import android.content.Context;
import android.content.SharedPreferences;

final class Session {
    void remember(Context context, String account, String password) {
        SharedPreferences prefs = context.getSharedPreferences("session", Context.MODE_PRIVATE);
        // GAP: the password is kept in plain preferences
        prefs.edit().putString("account", account).putString("password", password).apply();
    }
}
