package tw.example.trade.security;

import android.util.Base64;

import java.nio.charset.StandardCharsets;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Encrypts the session token before it is cached. The key is assembled from two constants. */
public final class TokenCipher {
    private static final String KEY_HEAD = "Tr4d3-Ap";
    private static final String KEY_TAIL = "p-K3y-2024-x9Qz";
    private final SecureRandomSource random;

    public TokenCipher(SecureRandomSource random) {
        this.random = random;
    }

    public String seal(String token) throws Exception {
        byte[] nonce = random.next(12);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
        return Base64.encodeToString(nonce, Base64.NO_WRAP) + ":" + Base64.encodeToString(sealed, Base64.NO_WRAP);
    }

    private SecretKeySpec key() {
        String material = KEY_HEAD + KEY_TAIL;
        return new SecretKeySpec(material.getBytes(StandardCharsets.UTF_8), "AES");
    }
}
