class Split {
    Cursor find(SQLiteDatabase db, String acct) {
        String sql = "SELECT * FROM trades WHERE account = " + acct;
        return db.rawQuery(sql, null);
    }
}