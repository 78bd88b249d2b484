fun delete(db: SQLiteDatabase, id: String) {
    db.execSQL("DELETE FROM orders WHERE id = $id")
}