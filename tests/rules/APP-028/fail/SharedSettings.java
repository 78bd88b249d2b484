package tw.example.trade.settings;

import android.content.Context;
import android.content.SharedPreferences;

import java.io.FileOutputStream;

/** Shares settings with a companion widget app by making them world-readable. */
public class SharedSettings {
    private static final int SHARED_MODE = Context.MODE_WORLD_READABLE;
    private final Context context;

    public SharedSettings(Context context) {
        this.context = context;
    }

    public SharedPreferences open() {
        return context.getSharedPreferences("widget_settings", SHARED_MODE);
    }

    public void export(byte[] watchlist) throws Exception {
        try (FileOutputStream out = context.openFileOutput("watchlist.json", Context.MODE_WORLD_WRITEABLE)) {
            out.write(watchlist);
        }
    }
}
