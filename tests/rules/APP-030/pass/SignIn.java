package tw.example.trade.login;

import android.util.Log;
import android.widget.EditText;

/** Logs that a sign-in happened and how long the PIN was, never the PIN. */
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
        trace(account, entered.length());
        api.login(account, entered);
        Log.i(TAG, "password policy version " + api.policyVersion());
    }

    private void trace(String account, int digits) {
        Log.d(TAG, "login attempt " + account + " with " + digits + " digits");
    }
}
