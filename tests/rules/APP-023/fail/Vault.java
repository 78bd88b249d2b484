package tw.example.trade.storage;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/** Encrypts cached statements with the same IV every time. */
public class Vault {
    private static final byte[] IV = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08,
                                      0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08};
    private final SecretKey key;

    public Vault(SecretKey key) {
        this.key = key;
    }

    public byte[] encrypt(byte[] statement) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key, spec());
        return cipher.doFinal(statement);
    }

    private IvParameterSpec spec() {
        return new IvParameterSpec(IV);
    }
}
