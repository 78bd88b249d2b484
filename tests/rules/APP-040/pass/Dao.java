class Dao {
    Cursor find(SQLiteDatabase db, String name) {
        return db.rawQuery("SELECT * FROM accounts WHERE name = ?", new String[]{name});
    }
}