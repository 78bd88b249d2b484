package tw.example.trade.login;

import android.content.Context;
import android.content.SharedPreferences;

import androidx.security.crypto.EncryptedSharedPreferences;
import androidx.security.crypto.MasterKey;

/** The refresh token is kept in EncryptedSharedPreferences; only the user ID and theme in plain ones. */
public class Remember {
    private final Context context;

    public Remember(Context context) {
        this.context = context;
    }

    public void keep(String userId, String refreshToken) throws Exception {
        MasterKey master = new MasterKey.Builder(context).setKeyScheme(MasterKey.KeyScheme.AES256_GCM).build();
        SharedPreferences secure = EncryptedSharedPreferences.create(context, "secure", master,
                EncryptedSharedPreferences.PrefKeyEncryptionScheme.AES256_SIV,
                EncryptedSharedPreferences.PrefValueEncryptionScheme.AES256_GCM);
        secure.edit().putString("refresh_token", refreshToken).apply();
    }

    public void preferences(String userId, boolean dark) {
        SharedPreferences plain = context.getSharedPreferences("ui", Context.MODE_PRIVATE);
        plain.edit().putString("last_user_id", userId).putBoolean("dark_theme", dark).apply();
    }
}
