package tw.example.trade.history;

import android.database.Cursor;
import android.database.sqlite.SQLiteDatabase;
import android.widget.EditText;

/** The search box text is put into the WHERE clause. */
public class History {
    private final SQLiteDatabase db;
    private final EditText search;

    public History(SQLiteDatabase db, EditText search) {
        this.db = db;
        this.search = search;
    }

    public Cursor find() {
        String term = search.getText().toString();
        return db.rawQuery(query(term), null);
    }

    private String query(String symbol) {
        return "SELECT * FROM trades WHERE symbol = '" + symbol + "' ORDER BY ts DESC";
    }
}
