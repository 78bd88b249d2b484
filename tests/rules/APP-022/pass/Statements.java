package tw.example.trade.storage;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** Authenticated encryption with a fresh nonce; the key algorithm name "AES" is only given to the key. */
public class Statements {
    private static final String ALGORITHM = "AES";
    private static final String MODE = "/GCM/NoPadding";
    private final SecretKey key;

    public Statements(SecretKey key) {
        this.key = key;
    }

    public byte[] seal(byte[] pdf, byte[] nonce) throws Exception {
        Cipher cipher = Cipher.getInstance(ALGORITHM + MODE);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        return cipher.doFinal(pdf);
    }

    public String keyAlgorithm() {
        return ALGORITHM;
    }
}
