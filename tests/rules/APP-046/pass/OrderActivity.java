package tw.example.trade.orders;

import android.app.Activity;
import android.content.Intent;
import android.os.Bundle;

/** Receives only the symbol and quantity as plain extras and validates them. */
public class OrderActivity extends Activity {
    private String symbol;
    private int quantity;

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Intent intent = getIntent();
        symbol = intent.getStringExtra("symbol");
        quantity = intent.getIntExtra("quantity", 0);
        if (symbol == null || !symbol.matches("[0-9A-Z]{4,6}") || quantity <= 0) {
            finish();
        }
    }
}
