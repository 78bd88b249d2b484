package tw.example.trade.security;

import java.security.KeyStore;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** Keys come from the Android Keystore, or are derived from what the user typed with a random salt. */
public final class KeystoreCipher {
    private static final String ALIAS = "session-key";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    public SecretKey storedKey() throws Exception {
        KeyStore store = KeyStore.getInstance("AndroidKeyStore");
        store.load(null);
        return (SecretKey) store.getKey(ALIAS, null);
    }

    public SecretKeySpec derive(char[] typed, byte[] salt) throws Exception {
        PBEKeySpec spec = new PBEKeySpec(typed, salt, 210000, 256);
        SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] raw = factory.generateSecret(spec).getEncoded();
        return new SecretKeySpec(raw, "AES");
    }

    public byte[] newSalt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return salt;
    }

    public Cipher cipher() throws Exception {
        return Cipher.getInstance(TRANSFORMATION);
    }
}
