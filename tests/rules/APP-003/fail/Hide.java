package tw.example.trade.security;

import android.util.Base64;

/** Keys for the offline quote cache, "hidden" as Base64 in a separate class. */
public class Hide {
    private static final byte[] cacheKey = Base64.decode("Q2FjaGVLM3lfMjAyNF9UVw==", Base64.DEFAULT);
    private static final byte[] HMAC_KEY = {0x4b, 0x33, 0x79, 0x21, 0x5f, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x73, 0x21};

    public static byte[] getCacheKey() {
        return cacheKey;
    }

    public static byte[] getHmacKey() {
        return HMAC_KEY;
    }
}
