Future<void> create(Database db) async {
  await db.execute('CREATE TABLE session (id INTEGER PRIMARY KEY, token TEXT, expires INTEGER)');
}
