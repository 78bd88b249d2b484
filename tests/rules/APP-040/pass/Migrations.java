package tw.example.trade.history;

import android.database.Cursor;
import android.database.sqlite.SQLiteDatabase;

/** SQL assembled only from constants (table names), values bound as arguments. */
public class Migrations {
    private static final String TABLE = "trades";
    private static final String COLUMNS = "symbol, qty, price, ts";

    public void upgrade(SQLiteDatabase db) {
        db.execSQL("CREATE TABLE IF NOT EXISTS " + TABLE + " (" + COLUMNS + ")");
        db.execSQL("CREATE INDEX IF NOT EXISTS idx_" + TABLE + "_ts ON " + TABLE + " (ts)");
    }

    public Cursor bySymbol(SQLiteDatabase db, String symbol) {
        String sql = "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE symbol = ?";
        return db.rawQuery(sql, new String[] {symbol});
    }
}
