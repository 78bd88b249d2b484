fun create(db: SQLiteDatabase) {
    db.execSQL("CREATE TABLE quotes (symbol TEXT PRIMARY KEY, price REAL, volume INTEGER)")
}
