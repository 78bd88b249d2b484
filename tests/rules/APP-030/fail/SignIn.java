package tw.example.trade.login;

import android.util.Log;
import android.widget.EditText;

/** Debug logging left in: the PIN typed by the user reaches logcat through a helper. */
public class SignIn {
    private static final String TAG = "SignIn";
    private final EditText pinInput;
    private final AuthApi api;

    public SignIn(EditText pinInput, AuthApi api) {
        this.pinInput = pinInput;
        this.api = api;
    }

    public void submit(String account) {
        String entered = pinInput.getText().toString().trim();
        trace(account, entered);
        api.login(account, entered);
    }

    private void trace(String account, String value) {
        Log.d(TAG, "login attempt " + account + " / " + value);
    }
}
