package tw.example.trade.settings;

import android.content.Context;
import android.content.SharedPreferences;

import java.io.FileOutputStream;

/** Settings stay private to the app; the widget reads them through a permission-protected provider. */
public class SharedSettings {
    private static final int MODE = Context.MODE_PRIVATE;
    private static final String WORLD_READABLE_NOTE = "MODE_WORLD_READABLE was removed in API 24";
    private final Context context;

    public SharedSettings(Context context) {
        this.context = context;
    }

    public SharedPreferences open() {
        return context.getSharedPreferences("widget_settings", MODE);
    }

    public void export(byte[] watchlist) throws Exception {
        try (FileOutputStream out = context.openFileOutput("watchlist.json", Context.MODE_PRIVATE)) {
            out.write(watchlist);
        }
    }
}
