package tw.example.trade.orders;

import android.app.Activity;
import android.content.Intent;
import android.os.Bundle;

/** Receives a draft order from the watch-list screen (exported for the widget) as a Serializable. */
public class OrderActivity extends Activity {
    private OrderDraft draft;

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Intent intent = getIntent();
        draft = (OrderDraft) intent.getSerializableExtra("draft");
        if (draft == null) {
            finish();
        }
    }
}
