package tw.example.trade.otp;

import android.telephony.SmsManager;

/** Sends the one-time password in clear text together with the full account number. */
public class OtpSender {
    private final SmsManager sms = SmsManager.getDefault();

    public void send(String phone, String accountNumber, String otpCode) {
        String body = buildBody(accountNumber, otpCode);
        sms.sendTextMessage(phone, null, body, null, null);
    }

    private String buildBody(String account, String code) {
        return "Account " + account + " verification code: " + code;
    }
}
