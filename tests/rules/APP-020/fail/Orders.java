class Orders {
    void saveLogin(SQLiteDatabase db, String account, String password) {
        ContentValues values = new ContentValues();
        values.put("account_no", account);
        values.put("password", password);
        db.insert("login", null, values);
    }
}
