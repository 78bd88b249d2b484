package tw.example.trade.otp;

import android.telephony.SmsManager;

/** Tells the user that a code was issued; the code itself is shown only in the app. */
public class OtpSender {
    private final SmsManager sms = SmsManager.getDefault();

    public void notifyIssued(String phone, String accountNumber) {
        String body = "A verification code was issued for account ending " + last4(accountNumber);
        sms.sendTextMessage(phone, null, body, null, null);
    }

    private String last4(String account) {
        return mask(account);
    }

    private static native String mask(String value);
}
