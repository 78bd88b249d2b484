package tw.example.trade.login;

import android.content.Context;
import android.content.SharedPreferences;
import android.widget.EditText;

/** "Remember me" keeps the password itself in plain preferences. */
public class Credentials {
    private static final String PREFS = "login";
    private static final String KEY_USER = "user_id";
    private static final String KEY_SECRET = "user_password";
    private final Context context;

    public Credentials(Context context) {
        this.context = context;
    }

    public void remember(EditText userField, EditText secretField) {
        String user = userField.getText().toString();
        String typed = secretField.getText().toString();
        SharedPreferences.Editor editor = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit();
        editor.putString(KEY_USER, user);
        editor.putString(KEY_SECRET, typed);
        editor.apply();
    }
}
