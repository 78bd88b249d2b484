package tw.example.trade.security;

import android.content.SharedPreferences;
import android.util.Base64;

/** Key *names* and key material that arrives at run time: nothing hard-coded to report. */
public class KeyNames {
    private static final String PREF_KEY = "last_symbol";
    private static final String KEY_ALIAS = "quote-cache";
    private final byte[] wrappedKey;

    public KeyNames(SharedPreferences prefs) {
        this.wrappedKey = Base64.decode(prefs.getString("wrapped_key", ""), Base64.DEFAULT);
    }

    public String symbol(SharedPreferences prefs) {
        byte[] headerKey = "X-Request-Trace".getBytes();
        return prefs.getString(PREF_KEY, "") + new String(headerKey) + KEY_ALIAS;
    }

    public byte[] wrapped() {
        return wrappedKey;
    }
}
