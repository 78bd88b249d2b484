package tw.example.trade.storage;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/** "AES" alone selects AES/ECB/PKCS5Padding on Android. */
public class Statements {
    private static final String ALGORITHM = "AES";
    private final SecretKey key;

    public Statements(SecretKey key) {
        this.key = key;
    }

    public byte[] seal(byte[] pdf) throws Exception {
        Cipher cipher = Cipher.getInstance(ALGORITHM);
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return cipher.doFinal(pdf);
    }
}
